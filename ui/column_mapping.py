"""The mapping screen of the Upload page: which column holds the date, the views, …, and how to read the file.

The user decides when detection is unsure; the file is handed to the worker again with their choices.
"""

from __future__ import annotations

import streamlit as st

from core import files, storage
from core.db import session_scope
from core.formatting import platform_name
from core.i18n import _
from core.models import SocialFile, User
from core.parsing import COLUMN_LABELS, ReadOptions, mapping_problem
from core.parsing.preview import preview
from core.parsing.types import DATE_ORDERS, DECIMAL_NAMES, DELIMITER_NAMES, ENCODINGS
from ui.file_actions import hand_to_worker

MAPPING = "upload_mapping_file"  # the file whose columns the user is assigning


def _close_mapping() -> None:
    st.session_state.pop(MAPPING, None)


def _read_options(file: SocialFile) -> ReadOptions:
    """Delimiter, decimal mark, encoding and date order: detected unless the user picks one."""
    saved = file.read_options or {}
    choices = (
        ("delimiter", _("Delimiter"), DELIMITER_NAMES),
        ("decimal", _("Decimal mark"), DECIMAL_NAMES),
        ("encoding", _("Encoding"), ENCODINGS),
        ("date_order", _("Date order"), DATE_ORDERS),
    )
    cols = st.columns(4)
    picked = {
        name: cols[i].selectbox(
            label,
            [None, *names],
            index=[None, *names].index(saved.get(name)) if saved.get(name) in names else 0,
            format_func=lambda v, names=names: _("Detected") if v is None else _(names[v]),
            key=f"upload_read_{file.id}_{name}",
        )
        for i, (name, label, names) in enumerate(choices)
    }
    return ReadOptions.from_dict(picked)


def _suggestion(user: User, file_id: str):
    """(file, options, preview) for the mapping screen; shows why and returns None when it can't be made."""
    try:
        with session_scope() as session:
            file = files.get_file(session, actor=user, file_id=file_id)
    except files.FileNotFound:
        _close_mapping()
        return None
    st.subheader(_("Assign the columns of {name}").format(name=file.original_name))
    options = _read_options(file)
    try:
        with storage.get_store().local_path(file.path) as path:
            shown = preview(
                path,
                platform=file.platform_requested or "auto",
                mapping=file.mapping_override,
                options=options,
            )
    except OSError:
        shown = None
        st.error(_("{name}: the stored file is missing; upload it again.").format(name=file.original_name))
    if shown is not None and shown.detection is not None:
        return file, options, shown
    if shown is not None:
        st.error(f"{file.original_name}: {shown.problem}")
    st.button(_("Close"), key="upload_map_close", on_click=_close_mapping)
    return None


def _preview(shown) -> None:
    """The first rows as they will be read with these choices, or why they cannot be."""
    if shown.problem:
        st.warning(shown.problem, icon=":material/preview:")
    elif shown.rows:
        st.caption(_("The first rows as they will be read:"))
        table = [{k: str(v) for k, v in row.items()} for row in shown.rows]
        st.dataframe(table, hide_index=True, key="upload_map_preview")
    for warning in shown.warnings:
        st.caption(warning)


def mapping_screen(user: User, file_id: str) -> None:
    """Which column of the file holds the date, the views, …: the user decides, the worker reads again."""
    found = _suggestion(user, file_id)
    if found is None:
        return
    file, options, shown = found
    detection = shown.detection
    _preview(shown)
    headers = list(dict.fromkeys([*detection.mapping, *detection.unmapped]))
    by_canonical = {c: h for h, c in {**detection.mapping, **(file.mapping_override or {})}.items()}
    st.caption(
        _(
            "We read it as {platform} (confidence {confidence} %). Pick the column of your file that holds "
            "each figure; leave the rest empty. Other columns are kept."
        ).format(platform=platform_name(detection.platform), confidence=round(detection.confidence * 100))
    )
    with st.form("upload_mapping_form", border=True):
        cols = st.columns(3)
        choices = {
            canonical: cols[i % 3].selectbox(
                _(label),
                [None, *headers],
                index=headers.index(by_canonical[canonical]) + 1
                if by_canonical.get(canonical) in headers
                else 0,
                format_func=lambda h: _("— none —") if h is None else h,
                key=f"upload_map_{file.id}_{canonical}",
            )
            for i, (canonical, label) in enumerate(COLUMN_LABELS.items())
        }
        go, cancel = st.columns([1, 5])
        done = go.form_submit_button(_("Process again"), type="primary", key="upload_map_submit")
        stop = cancel.form_submit_button(_("Cancel"), key="upload_map_cancel")
    if stop:
        _close_mapping()
        st.rerun()
    if done:
        apply_mapping(user, file, choices, options)


def apply_mapping(
    user: User, file: SocialFile, choices: dict[str, str | None], options: ReadOptions | None = None
) -> None:
    problem = mapping_problem(choices)
    if problem:
        st.error(problem)
        return
    mapping = {header: canonical for canonical, header in choices.items() if header}
    try:
        with session_scope() as session:
            files.set_mapping(
                session,
                actor=user,
                file_id=file.id,
                mapping=mapping,
                read_options=options.as_dict() if options else None,
            )
    except files.FileNotFound:
        st.error(_("That file no longer exists."))
    else:
        hand_to_worker(file.id)
        again = _("{name}: processing again with your columns.").format(name=file.original_name)
        st.toast(again, icon=":material/autorenew:")
    _close_mapping()
    st.rerun()

"""Report downloads: one click builds (or reuses) a file's PDF or CSV report and downloads it.

The buttons hand Streamlit a callable instead of bytes: it runs only when the button is pressed,
on a thread of its own, while the button shows a spinner — so rendering a page builds nothing.
The report is built right here rather than queued for the worker: a build takes under 2 s even
for a 1M-row file and is then reused, whereas a queued one could wait behind a long upload.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial

import streamlit as st

from core import reports
from core.i18n import N_, _, get_language, use_language
from core.models import FileStatus, SocialFile, User

BUTTONS = (  # (format, label, icon); the label is translated where it is shown
    ("pdf", N_("Download PDF"), ":material/picture_as_pdf:"),
    ("csv", N_("Download CSV"), ":material/table_view:"),
)


def _report_bytes(*, file_id: uuid.UUID, fmt: str, user_id: int, language: str) -> bytes:
    """What the PDF/CSV button downloads, in the page's language: access is checked again in core, at click time."""
    with use_language(language):  # the bytes are made on click, outside the page's run
        _name, data = reports.download(file_id=file_id, fmt=fmt, user_id=user_id)
    return data


def _history_bytes(*, report_id: uuid.UUID, user_id: int) -> bytes:
    _name, data = reports.report_file(report_id=report_id, user_id=user_id)
    return data


def download_button(
    label: str, *, produce: Callable[[], bytes], name: str, fmt: str, key: str, **options
) -> None:
    """A download button whose bytes are made on click (spinner meanwhile), without a rerun after."""
    st.download_button(
        label,
        data=produce,
        file_name=name,
        mime=reports.FORMATS[fmt],
        key=key,
        on_click="ignore",
        **options,
    )


def report_buttons(file: SocialFile, user: User, *, key: str = "report") -> None:
    """ "Download PDF" and "Download CSV" for a file; disabled until the file is ready."""
    ready = file.status == FileStatus.READY
    hint = _("Builds the report of this file's period (or reuses the last one) and downloads it.")
    with st.container(horizontal=True, key=f"{key}_downloads_{file.id}"):
        for fmt, label, icon in BUTTONS:
            download_button(
                _(label),
                produce=partial(
                    _report_bytes, file_id=file.id, fmt=fmt, user_id=user.id, language=get_language()
                ),
                name=reports.download_name(file, fmt),
                fmt=fmt,
                key=f"{key}_{fmt}_{file.id}",
                icon=icon,
                disabled=not ready,
                help=hint if ready else _("Available once the file is ready."),
            )


def history_button(entry: reports.ReportEntry, user: User) -> None:
    """Download a report from the history again."""
    download_button(
        _("Download"),
        produce=partial(_history_bytes, report_id=entry.id, user_id=user.id),
        name=entry.download_name,
        fmt=entry.format,
        key=f"reports_download_{entry.id}",
        icon=":material/download:",
    )

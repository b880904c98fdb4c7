"""Accounts: the user's channels and brands — rename, group into brands, merge, delete, move files.

Every change goes through core.accounts, which checks the user's rights in SQL; this page only
lays the forms out and says what happened.
"""

from __future__ import annotations

import streamlit as st

from core import accounts
from core.db import session_scope
from core.formatting import platform_name
from core.i18n import _, ngettext
from core.models import Account, User
from ui.auth import require_user

NO_BRAND = 0
_CONFIRM = "accounts_confirm_delete"


def _apply(action, done: str) -> None:
    """Run a change in a transaction; a toast on success, the reason on failure."""
    try:
        with session_scope() as session:
            action(session)
    except (accounts.AccountError, accounts.AccountNotFound, accounts.BrandNotFound) as exc:
        st.error(str(exc) or _("That account or brand no longer exists."))
        return
    st.toast(done, icon=":material/check:")
    st.rerun()


def _label(account: Account) -> str:
    return f"{account.name} · {platform_name(account.platform)}"


def brands_section(user: User, brands: list) -> None:
    st.subheader(_("Brands"))
    st.caption(_("A brand is a client: its accounts across platforms, reported together."))
    with st.form("accounts_new_brand", clear_on_submit=True, border=False):
        name = st.text_input(
            _("New brand"), key="accounts_brand_name", placeholder=_("e.g. Acme"), max_chars=200
        )
        if st.form_submit_button(_("Create brand"), key="accounts_brand_create") and name.strip():
            _apply(
                lambda s: accounts.create_brand(s, actor=user, name=name),
                _('Brand "{name}" created.').format(name=name.strip()),
            )
    for brand in brands:
        with st.expander(brand.name, icon=":material/folder_shared:"):
            new = st.text_input(_("Name"), value=brand.name, key=f"accounts_brand_rename_{brand.id}")
            left, right = st.columns(2)
            if (
                left.button(_("Rename"), key=f"accounts_brand_rename_go_{brand.id}")
                and new.strip() != brand.name
            ):
                _apply(
                    lambda s, b=brand.id, n=new: accounts.update_brand(s, actor=user, brand_id=b, name=n),
                    _("Renamed."),
                )
            if right.button(_("Delete brand (keeps its accounts)"), key=f"accounts_brand_delete_{brand.id}"):
                _apply(
                    lambda s, b=brand.id: accounts.delete_brand(s, actor=user, brand_id=b),
                    _("Brand deleted."),
                )


def _account_form(user: User, account: Account, mine: list[Account], brands: list) -> None:
    key = f"accounts_{account.id}"
    with session_scope() as session:
        its_files = accounts.account_files(session, actor=user, account_id=account.id)
    st.caption(ngettext("{n} export", "{n} exports", len(its_files)).format(n=len(its_files)))
    name = st.text_input(_("Name"), value=account.name, key=f"{key}_name", max_chars=200)
    brand_ids = [NO_BRAND, *(b.id for b in brands)]
    brand_names = {NO_BRAND: _("— no brand —"), **{b.id: b.name for b in brands}}
    brand = st.selectbox(
        _("Brand"), brand_ids, index=brand_ids.index(account.brand_id or NO_BRAND),
        format_func=brand_names.get, key=f"{key}_brand",
    )  # fmt: skip
    if st.button(_("Save"), key=f"{key}_save", type="primary"):

        def save(session) -> None:
            if name.strip() != account.name:
                accounts.rename_account(session, actor=user, account_id=account.id, name=name)
            accounts.set_brand(session, actor=user, account_id=account.id, brand_id=brand or None)

        _apply(save, _("Saved."))
    same_platform = [a for a in mine if a.platform == account.platform and a.id != account.id]
    if same_platform:
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        target = left.selectbox(
            _("Merge into"), [a.id for a in same_platform], format_func={a.id: _label(a) for a in same_platform}.get,
            key=f"{key}_merge_into", help=_("Its exports join the other account's timeline; this account goes."),
        )  # fmt: skip
        if right.button(_("Merge"), key=f"{key}_merge"):
            _apply(
                lambda s: accounts.merge_accounts(s, actor=user, source_id=account.id, target_id=target),
                _('"{name}" merged.').format(name=account.name),
            )
    for file in its_files:
        others = [a for a in mine if a.id != account.id]
        if not others:
            st.caption(file.original_name)
            continue
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        move_to = left.selectbox(
            _("Move {name} to").format(name=file.original_name), [a.id for a in others], format_func={a.id: _label(a) for a in others}.get,
            key=f"{key}_move_{file.id}",
        )  # fmt: skip
        if right.button(_("Move"), key=f"{key}_move_go_{file.id}"):
            _apply(
                lambda s, f=file.id, to=move_to: accounts.move_file(s, actor=user, file_id=f, account_id=to),
                _("{name} moved.").format(name=file.original_name),
            )
    _delete(user, account, files=len(its_files), key=key)


def _delete(user: User, account: Account, *, files: int, key: str) -> None:
    if st.session_state.get(_CONFIRM) != account.id:
        if st.button(_("Delete account…"), key=f"{key}_delete", icon=":material/delete:"):
            st.session_state[_CONFIRM] = account.id
            st.rerun()
        return
    question = ngettext(
        'Delete "{name}" and its {n} export, with their data and reports?',
        'Delete "{name}" and its {n} exports, with their data and reports?',
        files,
    )
    st.warning(question.format(name=account.name, n=files))
    left, right = st.columns(2)
    if left.button(_("Yes, delete"), key=f"{key}_delete_yes", type="primary"):
        st.session_state.pop(_CONFIRM, None)
        _apply(lambda s: accounts.delete_account(s, actor=user, account_id=account.id), _("Account deleted."))
    if right.button(_("Cancel"), key=f"{key}_delete_no"):
        st.session_state.pop(_CONFIRM, None)
        st.rerun()


def main() -> None:
    user = require_user()
    st.title(_("Accounts"))
    with session_scope() as session:
        mine = accounts.list_accounts(session, actor=user)
        brands = accounts.list_brands(session, actor=user)
    if not mine:
        st.info(
            _("No account yet: each export you upload goes into an account (one channel on one platform).")
        )
        st.page_link("pages/upload.py", label=_("Upload a file"), icon=":material/upload_file:")
        return
    st.caption(_("An account is one channel on one platform; its exports join into one timeline."))
    for account in mine:
        brand = f" · {account.brand.name}" if account.brand else ""
        with st.expander(f"{_label(account)}{brand}", icon=":material/account_circle:"):
            _account_form(user, account, mine, brands)
    brands_section(user, brands)


main()

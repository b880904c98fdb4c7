"""Accounts (one profile on one platform) and brands (a client's accounts): one module owns them.

Every function takes the acting user and is scoped to them in SQL: another user's id raises the
same NotFound as an id that does not exist; an admin reaches everyone's. Query functions flush and
never commit: the caller owns the transaction (`with core.db.session_scope() as session:`).

Layers, lowest first: lookup (scoping, errors), store and brands, assign. `summary` (what the command
line and the REST API print) sits above core.timeline and core.metrics, so it is imported as
`core.accounts.summary`, not re-exported here.
"""

from core.accounts.assign import Duplicate, assign_default, find_duplicate, profile_name
from core.accounts.brands import (
    brand_accounts,
    create_brand,
    delete_brand,
    find_brand,
    find_or_create_brand,
    list_brands,
    set_brand,
    update_brand,
)
from core.accounts.lookup import (
    AccountError,
    AccountNotFound,
    BrandNotFound,
    clean_name,
    get_account,
    get_brand,
)
from core.accounts.store import (
    account_files,
    create_account,
    delete_account,
    find_account,
    list_accounts,
    merge_accounts,
    move_file,
    rename_account,
)

__all__ = [
    "AccountError",
    "AccountNotFound",
    "BrandNotFound",
    "Duplicate",
    "account_files",
    "assign_default",
    "brand_accounts",
    "clean_name",
    "create_account",
    "create_brand",
    "delete_account",
    "delete_brand",
    "find_account",
    "find_brand",
    "find_duplicate",
    "find_or_create_brand",
    "get_account",
    "get_brand",
    "list_accounts",
    "list_brands",
    "merge_accounts",
    "move_file",
    "profile_name",
    "rename_account",
    "set_brand",
    "update_brand",
]

"""The tables of DESIGN.md (and the API's personal tokens) as typed SQLAlchemy 2 models, one module per noun.

`from core.models import X` works for every name: columns (shared column types, the canonical
columns), status (FileStatus), users, accounts, files.
"""

from core.models.accounts import Account, Brand
from core.models.columns import (
    DESCRIPTORS,
    MEASURES,
    NEVER_NEGATIVE,
    ROW_COLUMNS,
    Count,
    JsonDoc,
    Stamp,
    utcnow,
)
from core.models.files import Metric, RawData, ReportExport, SocialFile, StoredChunk
from core.models.status import IN_WORK, PENDING, FileStatus
from core.models.users import ApiToken, SignInLink, SignInThrottle, User

__all__ = [
    "DESCRIPTORS",
    "IN_WORK",
    "MEASURES",
    "NEVER_NEGATIVE",
    "PENDING",
    "ROW_COLUMNS",
    "Account",
    "ApiToken",
    "Brand",
    "Count",
    "FileStatus",
    "JsonDoc",
    "Metric",
    "RawData",
    "ReportExport",
    "SignInLink",
    "SignInThrottle",
    "SocialFile",
    "Stamp",
    "StoredChunk",
    "User",
    "utcnow",
]

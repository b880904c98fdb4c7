"""What the timeline is read for: a file, an account or a brand, and the ready files behind it.

A `Scope` names what is looked at and its files in merge priority (the file whose data ends
latest first, ties: the later upload); `provenance` says where its timeline comes from. The rows
themselves are read through core.timeline.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session

from core import day_totals, merge_store
from core.i18n import _, fmt_date, ngettext
from core.models import Account, FileStatus, RawData, SocialFile, User


@dataclass(frozen=True)
class Part:
    """One ready file of a scope: what merging and the provenance need to know about it."""

    id: uuid.UUID
    name: str
    account_id: int | None
    platform: str | None
    row_kind: str | None
    columns: frozenset[str] | None  # canonical columns it has (None: unknown)
    first: date | None  # its data's first and last date
    last: date | None
    rows: int
    created_at: datetime
    version: int = 0
    stored: bool | None = None  # whether core.day_totals holds its sums (None: not asked yet)


@dataclass(frozen=True)
class Scope:
    """What is looked at: `kind` "file", "account" or "brand", its id and name, and its ready files.

    `files` are ordered by priority: the file whose data ends latest (then the later upload) first.
    `accounts` holds (id, name, platform) of the accounts it covers (empty for a lone file);
    `settled` those whose stored merge matches these files (core.merge_store).
    """

    kind: str
    id: str
    name: str
    files: tuple[Part, ...]
    accounts: tuple[tuple[int, str, str], ...] = ()
    settled: frozenset[int] = frozenset()  # accounts whose merge is read from core.merge_store

    @property
    def merged(self) -> bool:
        return len(self.files) > 1

    @property
    def columns(self) -> frozenset[str] | None:
        """Canonical columns any of its files has; None when a file's mapping is unknown."""
        if any(p.columns is None for p in self.files):
            return None
        return frozenset().union(*(p.columns for p in self.files))

    @property
    def row_kind(self) -> str | None:
        """ "posts" or "days" when every file agrees, "mixed" when not, None without files."""
        kinds = {p.row_kind for p in self.files}
        return None if not kinds else kinds.pop() if len(kinds) == 1 else "mixed"

    @property
    def has_posts(self) -> bool:
        return any(p.row_kind == "posts" for p in self.files)

    @property
    def platforms(self) -> list[str]:
        return sorted({p.platform for p in self.files if p.platform})


def _columns(file: SocialFile) -> frozenset[str] | None:
    if file.mapping is None:
        return None
    return frozenset(v for v in file.mapping.values() if isinstance(v, str))


def _bounds(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[date, date]]:
    """Each file's first and last date: two index probes per file, whatever its size."""
    if not ids:
        return {}
    per_file = [
        select(
            literal(str(i)).label("id"),
            func.min(RawData.date).label("lo"),
            func.max(RawData.date).label("hi"),
        ).where(RawData.file_id == i)
        for i in ids
    ]
    return {uuid.UUID(r.id): (r.lo, r.hi) for r in session.execute(union_all(*per_file))}


def _parts(session: Session, files: list[SocialFile]) -> tuple[Part, ...]:
    bounds = _bounds(session, [f.id for f in files])
    stored = day_totals.stored(session, [f.id for f in files])
    parts = [
        Part(
            f.id,
            f.original_name,
            f.account_id,
            f.platform,
            f.row_kind,
            _columns(f),
            *bounds.get(f.id, (None, None)),
            f.rows,
            f.created_at,
            f.version,
            f.id in stored,
        )  # fmt: skip
        for f in files
    ]
    # Priority: the data that ends latest, then the later upload (DESIGN.md).
    return tuple(sorted(parts, key=lambda p: (p.last or date.min, p.created_at), reverse=True))


def of_file(file: SocialFile) -> Scope:
    """One file's rows as a scope, without a query (its dates unknown: `file_scope` reads them)."""
    part = Part(
        file.id, file.original_name, file.account_id, file.platform, file.row_kind, _columns(file),
        None, None, file.rows, file.created_at, file.version,
    )  # fmt: skip
    return Scope("file", str(file.id), file.original_name, (part,))


def as_scope(what: SocialFile | Scope) -> Scope:
    """A scope as is; a file as its own scope."""
    return what if isinstance(what, Scope) else of_file(what)


def file_scope(session: Session, *, file: SocialFile) -> Scope:
    """One file's rows, as they are (any status: the History page inspects failed files too)."""
    return Scope("file", str(file.id), file.original_name, _parts(session, [file]))


def _ready_files(session: Session, account_ids: list[int]) -> list[SocialFile]:
    query = select(SocialFile).where(
        SocialFile.account_id.in_(account_ids),
        SocialFile.status == FileStatus.READY,
        SocialFile.row_kind != "hours",  # follower activity holds no timeline rows (core.activity)
    )
    return list(session.scalars(query)) if account_ids else []


def account_scope(session: Session, *, actor: User, account_id: int | str) -> Scope:
    """The account's merged timeline (AccountNotFound for an account the actor may not see)."""
    from core.accounts.lookup import get_account

    account = get_account(session, actor=actor, account_id=account_id)
    return own_scope(session, account)


def own_scope(session: Session, account: Account) -> Scope:
    """An account's timeline, for core code that reached the account through its owner already."""
    files = _parts(session, _ready_files(session, [account.id]))
    members = ((account.id, account.name, account.platform),)
    return Scope(
        "account", str(account.id), account.name, files, members, merge_store.settled(session, files)
    )


def brand_scope(session: Session, *, actor: User, brand_id: int | str) -> Scope:
    """Every account of the brand, each merged on its own (BrandNotFound for another user's brand)."""
    from core.accounts.brands import brand_accounts
    from core.accounts.lookup import get_brand

    brand = get_brand(session, actor=actor, brand_id=brand_id)
    members: list[Account] = brand_accounts(session, actor=actor, brand_id=brand.id)
    files = _parts(session, _ready_files(session, [a.id for a in members]))
    covered = tuple((a.id, a.name, a.platform) for a in members)
    return Scope("brand", str(brand.id), brand.name, files, covered, merge_store.settled(session, files))


def sub_scope(scope: Scope, *, account_ids: list[int] | None = None, platform: str | None = None) -> Scope:
    """The part of a brand's scope that is some of its accounts, or one platform (its breakdown)."""
    keep = [a for a in scope.accounts if (account_ids is None or a[0] in account_ids)]
    keep = [a for a in keep if platform is None or a[2] == platform]
    ids = {a[0] for a in keep}
    name = f"{scope.name} · {platform}" if platform else scope.name
    files = tuple(p for p in scope.files if p.account_id in ids)
    return Scope(scope.kind, scope.id, name, files, tuple(keep), scope.settled & ids)


@dataclass(frozen=True)
class Provenance:
    """Where a timeline comes from: its range, how many exports, how many days newer exports replaced."""

    first: date | None
    last: date | None
    exports: int
    replaced_days: int  # dates that two or more files of one account hold: taken from the newest

    @property
    def text(self) -> str:
        """E.g. "1 Jan 2024 – 1 Mar 2024 from 2 exports; 20 days taken from the newer one"."""
        if self.first is None:
            return _("No data yet.")
        span = f"{fmt_date(self.first)} – {fmt_date(self.last)}"
        text = ngettext("{span} from {n} export", "{span} from {n} exports", self.exports)
        text = text.format(span=span, n=self.exports)
        if self.replaced_days:
            if self.exports == 2:
                more = ngettext(
                    "{n} day taken from the newer one",
                    "{n} days taken from the newer one",
                    self.replaced_days,
                )
            else:
                more = ngettext(
                    "{n} day taken from the newest that has them",
                    "{n} days taken from the newest that has them",
                    self.replaced_days,
                )
            text += "; " + more.format(n=self.replaced_days)
        return text


def _covered_twice(parts: list[Part]) -> int:
    """Days that at least two of the files' [first, last] ranges share (their union, once each)."""
    edges = sorted(
        [(p.first, 1) for p in parts if p.first] + [(p.last + timedelta(days=1), -1) for p in parts if p.last]
    )
    total, depth, since = 0, 0, None
    for day, step in edges:
        if depth >= 2 and since is not None:
            total += (day - since).days
        depth += step
        since = day
    return total


def provenance(scope: Scope) -> Provenance:
    """The scope's range and files, and how many days the merge took from a newer file."""
    dated = [p for p in scope.files if p.first is not None]
    if not dated:
        return Provenance(None, None, len(scope.files), 0)
    by_account: dict[int | None, list[Part]] = {}
    for part in dated:
        by_account.setdefault(part.account_id, []).append(part)
    replaced = sum(_covered_twice(members) for members in by_account.values())
    return Provenance(min(p.first for p in dated), max(p.last for p in dated), len(scope.files), replaced)

"""The rows analytics, metrics and reports read: one file's, or an account's or brand's merged timeline.

A `Scope` names what is looked at (a file, an account, a brand) and the ready files behind it;
`source(scope, start, end)` is the one query every aggregate reads through, so no caller knows
whether its rows came from one file or several (DESIGN.md, "The timeline").

Merging: where two files of one account hold the same key — the date for day rows; the post
(post_id, else url, else title + published_at) for post rows — the rows of the file whose data
ends latest win (ties: the later upload). `rank()` over that key in one sort: linear in the rows
read, never a self-join. Sums come from day rows on dates where the account has them, else from
post rows (`counts`); per-post figures read post rows (`kind = 'posts'`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Integer, String, case, cast, func, literal, or_, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import GenericFunction

from core.i18n import _, fmt_date, ngettext
from core.models import DESCRIPTORS, MEASURES, Account, FileStatus, RawData, SocialFile, User


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


@dataclass(frozen=True)
class Scope:
    """What is looked at: `kind` "file", "account" or "brand", its id and name, and its ready files.

    `files` are ordered by priority: the file whose data ends latest (then the later upload) first.
    `accounts` holds (id, name, platform) of the accounts it covers (empty for a lone file).
    """

    kind: str
    id: str
    name: str
    files: tuple[Part, ...]
    accounts: tuple[tuple[int, str, str], ...] = ()

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
        )  # fmt: skip
        for f in files
    ]
    # Priority: the data that ends latest, then the later upload (DESIGN.md).
    return tuple(sorted(parts, key=lambda p: (p.last or date.min, p.created_at), reverse=True))


def of_file(file: SocialFile) -> Scope:
    """One file's rows as a scope, without a query (its dates unknown: `file_scope` reads them)."""
    part = Part(
        file.id, file.original_name, file.account_id, file.platform, file.row_kind, _columns(file),
        None, None, file.rows, file.created_at,
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
    from core.accounts import get_account

    account = get_account(session, actor=actor, account_id=account_id)
    files = _parts(session, _ready_files(session, [account.id]))
    return Scope(
        "account", str(account.id), account.name, files, ((account.id, account.name, account.platform),)
    )


def brand_scope(session: Session, *, actor: User, brand_id: int | str) -> Scope:
    """Every account of the brand, each merged on its own (BrandNotFound for another user's brand)."""
    from core.accounts import brand_accounts, get_brand

    brand = get_brand(session, actor=actor, brand_id=brand_id)
    members: list[Account] = brand_accounts(session, actor=actor, brand_id=brand.id)
    files = _parts(session, _ready_files(session, [a.id for a in members]))
    return Scope(
        "brand", str(brand.id), brand.name, files, tuple((a.id, a.name, a.platform) for a in members)
    )


def sub_scope(scope: Scope, *, account_ids: list[int] | None = None, platform: str | None = None) -> Scope:
    """The part of a brand's scope that is some of its accounts, or one platform (its breakdown)."""
    keep = [a for a in scope.accounts if (account_ids is None or a[0] in account_ids)]
    keep = [a for a in keep if platform is None or a[2] == platform]
    ids = {a[0] for a in keep}
    name = f"{scope.name} · {platform}" if platform else scope.name
    files = tuple(p for p in scope.files if p.account_id in ids)
    return Scope(scope.kind, scope.id, name, files, tuple(keep))


def _where(scope: Scope, start: date | None, end: date | None) -> list:
    where = [RawData.file_id.in_([p.id for p in scope.files]) if scope.files else literal(False)]
    if start is not None:
        where.append(RawData.date >= start)
    if end is not None:
        where.append(RawData.date <= end)
    return where


def _columns_of_raw() -> list:
    return [
        RawData.file_id,
        RawData.line,
        RawData.date,
        *(getattr(RawData, c) for c in (*MEASURES, *DESCRIPTORS)),
    ]


def _shared_ranges(scope: Scope) -> dict[uuid.UUID, list[tuple[date, date]]]:
    """Per file: the date ranges it shares with another file of its account (where merging has work).

    Outside them a date has one file only, so its rows are taken as they are, without ranking: an
    account of monthly exports that overlap by a few days ranks those days' rows, not every row.
    """
    by_account: dict[int | None, list[Part]] = {}
    for part in scope.files:
        by_account.setdefault(part.account_id, []).append(part)
    out: dict[uuid.UUID, list[tuple[date, date]]] = {}
    for members in by_account.values():
        for part in members:
            ranges = []
            for other in members:
                if other.id == part.id or None in (part.first, part.last, other.first, other.last):
                    continue
                lo, hi = max(part.first, other.first), min(part.last, other.last)
                if lo <= hi:
                    ranges.append((lo, hi))
            if ranges or part.first is None:
                out[part.id] = ranges or [(date.min, date.max)]  # unknown dates: rank them all
    return out


def _mixed(scope: Scope) -> bool:
    """Whether some account has both day and post files (then a date's sums pick one kind)."""
    kinds: dict[int | None, set] = {}
    for part in scope.files:
        kinds.setdefault(part.account_id, set()).add(part.row_kind or "days")
    return any(len(k) > 1 for k in kinds.values())


class bytewise(GenericFunction):
    """A text compared byte by byte (PostgreSQL's "C" collation): grouping keys sort several times faster."""

    type = String()
    name = "bytewise"
    inherit_cache = True


@compiles(bytewise)
def _bytewise(element, compiler, **kw):
    return f'({compiler.process(element.clauses, **kw)}) COLLATE "C"'


@compiles(bytewise, "sqlite")
def _bytewise_sqlite(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)  # SQLite compares bytes already (BINARY)


def _file_rows(part: Part, prio: int, where: list):
    """One file's rows with its constants (account, kind, priority): one partition, no CASE per row."""
    return select(
        *_columns_of_raw(),
        literal(part.account_id or 0, Integer).label("account_id"),
        literal(part.row_kind or "days", String).label("kind"),
        literal(prio, Integer).label("prio"),
    ).where(RawData.file_id == part.id, *where)


def _dates(start: date | None, end: date | None) -> list:
    return [c for c in (start and RawData.date >= start, end and RawData.date <= end) if c is not None]


def _post_key_of(c):
    """What identifies a post across exports: its id, else its URL, else its title and time."""
    when = func.coalesce(cast(c.published_at, String), cast(c.date, String))
    return func.coalesce(
        literal("i:") + c.post_id,
        literal("u:") + c.url,
        literal("t:") + c.title + literal("|") + when,
        literal("l:") + cast(c.line, String),  # no identity: the row stands alone in its file
    )


def _single(scope: Scope, start: date | None, end: date | None):
    part = scope.files[0] if scope.files else None
    return select(
        *_columns_of_raw(),
        literal(part.account_id if part else None, Integer).label("account_id"),
        literal((part.row_kind if part else None) or "days", String).label("kind"),
        literal(1, Integer).label("counts"),
        literal(0, Integer).label("prio"),
    ).where(*_where(scope, start, end))


def _with_counts(rows, scope: Scope):
    """`counts`: 1 for day rows, and for post rows on dates their account has no day rows."""
    if not _mixed(scope):
        return select(*rows.c, literal(1, Integer).label("counts"))
    has_days = func.max(case((rows.c.kind == "days", 1), else_=0)).over(
        partition_by=(rows.c.account_id, rows.c.date)
    )
    flagged = select(*rows.c, has_days.label("has_days")).subquery("flagged")
    counts = case(((flagged.c.kind == "days") | (flagged.c.has_days == 0), 1), else_=0)
    return select(*(c for c in flagged.c if c.name != "has_days"), counts.label("counts"))


def _ranked_shared(scope: Scope, overlapping: list):
    """The rows of the dates files share, each key kept from its highest-priority file only."""
    rows = (
        union_all(*overlapping).subquery("shared")
        if len(overlapping) > 1
        else overlapping[0].subquery("shared")
    )
    kinds = {p.row_kind or "days" for p in scope.files}
    day_key = cast(rows.c.date, String)
    if kinds == {"posts"}:
        key = _post_key_of(rows.c)
    elif kinds == {"days"}:
        key = day_key
    else:
        key = case((rows.c.kind == "posts", _post_key_of(rows.c)), else_=day_key)
    # Equal keys across files: only the rows of the highest-priority file rank 1. Within one file
    # every row ranks alike, so a single file's rows all survive as they are.
    pick = func.rank().over(
        partition_by=(rows.c.account_id, rows.c.kind, bytewise(key)), order_by=rows.c.prio
    )
    ranked = select(*rows.c, pick.label("pick")).subquery("ranked")
    won = select(*(c for c in ranked.c if c.name != "pick")).where(ranked.c.pick == 1).subquery("won")
    return _with_counts(won, scope)


def leaves(scope: Scope, *, start: date | None = None, end: date | None = None) -> list:
    """The timeline as disjoint SELECTs with `source`'s columns: each file's rows on the dates it
    alone holds (no ranking: as fast as reading one file), then the ranked rows of shared dates.

    Aggregates run per leaf and add up (a date and account lies in exactly one leaf); `source` is
    their UNION ALL, for callers that need the rows in one piece.
    """
    if not scope.merged:
        return [_single(scope, start, end)]
    shared = _shared_ranges(scope)
    dates = _dates(start, end)
    out, overlapping = [], []
    for prio, part in enumerate(scope.files):
        spans = [RawData.date.between(lo, hi) for lo, hi in shared.get(part.id, [])]
        lone = _file_rows(part, prio, [*dates, *(~span for span in spans)])
        out.append(select(*lone.subquery("lone").c, literal(1, Integer).label("counts")))
        if spans:
            overlapping.append(_file_rows(part, prio, [*dates, or_(*spans)]))
    if overlapping:
        out.append(_ranked_shared(scope, overlapping))
    return out


def source(scope: Scope, *, start: date | None = None, end: date | None = None):
    """The scope's rows in [start, end] as a subquery: raw_data's columns plus `account_id`,
    `kind` ("days"/"posts"), `counts` (1 where the row adds to sums) and `prio` (0 = newest file)."""
    parts = leaves(scope, start=start, end=end)
    return (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("timeline")


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


def count_rows(session: Session, scope: Scope, *, start: date | None = None, end: date | None = None) -> int:
    """How many rows the timeline holds after merging (in [start, end] when given)."""
    src = source(scope, start=start, end=end)
    return session.scalar(select(func.count()).select_from(src)) or 0

"""The Dashboard's account cards: each account's latest complete period against the one before it.

One card per account the actor sees, grouped by brand: the headline KPIs of the last 28 days of its
merged timeline (the days up to its own last date, since exports lag behind the calendar) with the
change against the 28 days before, and a sparkline of daily views (else engagements) over 90 days.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from core import accounts, metrics, presets, timeline
from core.analytics import daily
from core.i18n import N_
from core.models import Account, User

CARD_KPIS = ("views", "engagements", "er_views", "subs_growth")
CARD_PRESET = "last_28"
SPARK_DAYS = 90


@dataclass
class Card:
    """What one account card shows; `result` is None while the account has no ready file."""

    account_id: int
    name: str
    platform: str
    owner_email: str
    brand_id: int | None
    brand_name: str | None
    provenance: str
    result: metrics.MetricResult | None = None
    spark: list[float] = field(default_factory=list)
    spark_label: str = N_("Views")  # a message id: the page translates it


@dataclass
class Group:
    """A brand's cards (brand None: accounts in no brand)."""

    brand_id: int | None
    name: str | None
    cards: list[Card]


def _spark(days, *, code: str) -> list[float]:
    if code == "engagements":
        return [float(d.engagements or 0) for d in days]
    return [float(d.sums.get(code) or 0) for d in days]


def card(session: Session, *, actor: User, account: Account) -> Card:
    """The card of one account (already fetched through core.accounts, so within the actor's rights)."""
    scope = timeline.account_scope(session, actor=actor, account_id=account.id)
    known = timeline.provenance(scope)
    out = Card(
        account.id,
        account.name,
        account.platform,
        account.owner.email,
        account.brand_id,
        account.brand.name if account.brand else None,
        known.text,
    )
    last = known.last
    if last is None:
        return out
    current = presets.resolve(CARD_PRESET, anchor=last)
    before = presets.compare(current)
    out.result = metrics.compute_range(
        session,
        file=scope,
        start=current.start,
        end=current.end,
        previous_start=before.start,
        previous_end=before.end,
    )
    spark_from = presets.resolve(f"last_{SPARK_DAYS}", anchor=last).start
    days = daily(session, file=scope, start=spark_from, end=last)
    has_views = any(d.sums.get("views") is not None for d in days)
    out.spark_label = N_("Views") if has_views else N_("Engagements")
    out.spark = _spark(days, code="views" if has_views else "engagements")
    return out


def cards(session: Session, *, actor: User, everyone: bool = False) -> list[Group]:
    """Every account's card, grouped by brand (brands by name, then the accounts in no brand)."""
    found = [
        card(session, actor=actor, account=a)
        for a in accounts.list_accounts(session, actor=actor, everyone=everyone)
    ]
    groups: dict[int | None, Group] = {}
    for c in found:
        groups.setdefault(c.brand_id, Group(c.brand_id, c.brand_name, [])).cards.append(c)
    named = sorted(
        (g for g in groups.values() if g.brand_id is not None), key=lambda g: (g.name or "").lower()
    )
    return named + ([groups[None]] if None in groups else [])

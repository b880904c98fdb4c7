"""Platform profiles (data in profiles.toml): header aliases, detection from a header, mapping."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from core.i18n import N_
from core.models import DESCRIPTORS, MEASURES
from core.parsing.headers import Header, normalise

CANONICAL_COLUMNS = ("date", *MEASURES, *DESCRIPTORS)
GENERIC = "generic"
# What a subscriber column means, shown with the mapping (DESIGN.md, "Canonical columns").
MEANING = {
    "subscribers": N_("a level (the follower count on each date)"),
    "subscribers_net": N_("a net flow (followers gained minus lost on each row)"),
    "subscribers_gained": N_("a flow (new followers on each row)"),
    "subscribers_lost": N_("a flow (followers lost on each row)"),
}


@dataclass(frozen=True)
class Profile:
    code: str
    name: str
    columns: dict[str, tuple[str, ...]]  # canonical -> aliases as exports spell them
    signature: frozenset[str]  # normalised headers only this platform uses
    rejections: tuple[tuple[frozenset[str], str], ...]  # (normalised headers, message)
    lookup: dict[str, tuple[str, tuple[int, int]]]  # normalised alias -> (canonical, rank)
    no_date_hint: str = ""  # what to do when this platform's table has no dates
    # Its follower activity table (core.parsing.activity): role ("hour", "active_followers") -> keys.
    activity: dict[str, frozenset[str]] = field(default_factory=dict)

    def own_keys(self) -> set[str]:
        return {k for k, (_, rank) in self.lookup.items() if rank[0] == 0}


def _lookup(columns: dict, generic: dict | None) -> dict:
    """Alias -> (canonical, rank); this platform's aliases rank before the generic ones."""
    table: dict[str, tuple[str, tuple[int, int]]] = {}
    for tier, cols in enumerate((columns, generic or {})):
        for canonical, aliases in cols.items():
            for i, alias in enumerate(aliases):
                table.setdefault(normalise(alias), (canonical, (tier, i)))
    return table


def _load() -> dict[str, Profile]:
    raw = tomllib.loads((Path(__file__).with_name("profiles.toml")).read_text(encoding="utf-8"))
    generic_cols = {c: (c.replace("_", " "), *raw[GENERIC]["columns"].get(c, ())) for c in CANONICAL_COLUMNS}
    profiles = {}
    for code, spec in raw.items():
        columns = generic_cols if code == GENERIC else {c: tuple(a) for c, a in spec["columns"].items()}
        unknown = set(columns) - set(CANONICAL_COLUMNS)
        if unknown:
            raise ValueError(f"profiles.toml: {code} maps to unknown columns {sorted(unknown)}")
        profiles[code] = Profile(
            code=code,
            name=spec["name"],
            columns=columns,
            signature=frozenset(normalise(h) for h in spec.get("signature", ())),
            rejections=tuple(
                (frozenset(normalise(h) for h in r["headers"]), r["message"])
                for r in spec.get("rejections", ())
            ),
            lookup=_lookup(columns, None if code == GENERIC else generic_cols),
            no_date_hint=spec.get("no_date_hint", ""),
            activity={r: frozenset(map(normalise, a)) for r, a in spec.get("activity", {}).items()},
        )
    return profiles


PROFILES = _load()
PLATFORMS = {code: p.name for code, p in PROFILES.items() if code != GENERIC} | {
    GENERIC: PROFILES[GENERIC].name
}
_GENERIC_KEYS = set(PROFILES[GENERIC].lookup)


def _claims() -> dict[str, int]:
    """How many platforms use each normalised header (as an alias or in their signature)."""
    counts: dict[str, int] = {}
    for code, p in PROFILES.items():
        if code != GENERIC:
            for key in p.own_keys() | p.signature:
                counts[key] = counts.get(key, 0) + 1
    return counts


_CLAIMS = _claims()


def evidence(profile: Profile, keys: set[str]) -> int:
    """How many of the file's headers point at this platform: its signature, and aliases no one else uses."""
    if profile.code == GENERIC:
        return 0
    unique = {k for k in profile.own_keys() - _GENERIC_KEYS if _CLAIMS[k] == 1}
    return len(keys & (unique | profile.signature))


def scores(keys: set[str]) -> dict[str, int]:
    return {code: evidence(p, keys) for code, p in PROFILES.items() if code != GENERIC}


def detect(keys: set[str]) -> tuple[str, float, dict[str, int]]:
    """The platform whose own headers the file uses most, how sure that is (0..1), all scores."""
    found = scores(keys)
    ranked = sorted(found.items(), key=lambda kv: -kv[1])
    best, top = ranked[0]
    if top == 0:
        return GENERIC, 1.0, found
    runner_up = ranked[1][1]
    return best, (1 - 0.5 ** (top + 1)) * top / (top + runner_up), found


def map_header(profile: Profile, header: Header) -> dict[int, str]:
    """Column index -> canonical column: per canonical, the best-ranked alias, first in file order."""
    best: dict[str, tuple[tuple[int, int], int]] = {}
    for i in header.usable():
        hit = profile.lookup.get(header.keys[i])
        if hit is None:
            continue
        canonical, rank = hit
        if canonical not in best or (rank, i) < best[canonical]:
            best[canonical] = (rank, i)
    return {i: canonical for canonical, (_, i) in best.items()}


def rejection(profile: Profile, keys: set[str]) -> str | None:
    """The message for a table of this platform we recognise but cannot use (no dates)."""
    for headers, message in profile.rejections:
        if keys & headers:
            return message
    return None


def date_aliases() -> list[str]:
    """The date column names we recognise, as exports spell them, each once."""
    seen, out = set(), []
    order = [PROFILES[GENERIC], *(p for c, p in PROFILES.items() if c != GENERIC)]
    for canonical in ("date", "published_at"):
        for profile in order:
            for alias in profile.columns.get(canonical, ()):
                if normalise(alias) not in seen and alias != canonical.replace("_", " "):
                    seen.add(normalise(alias))
                    out.append(alias)
    return out


def measure_aliases() -> list[str]:
    generic = PROFILES[GENERIC].columns
    return [a for m in MEASURES for a in generic[m][1:3]]

"""Choosing the platform and the mapping, and saying exactly why a header cannot be used."""

from __future__ import annotations

from core.i18n import N_, _
from core.models import DESCRIPTORS, MEASURES
from core.parsing.headers import Header, normalise
from core.parsing.profiles import (
    CANONICAL_COLUMNS,
    GENERIC,
    MEANING,
    PLATFORMS,
    PROFILES,
    date_aliases,
    detect,
    evidence,
    measure_aliases,
    rejection,
)
from core.parsing.types import Issue, ParseError

LISTED_COLUMNS = 15
LISTED_ALIASES = 8
IGNORE = ("", "ignore", "extra", None)
NO_DATE_HINT = N_("Export the table again with its date column, or choose which column holds the date.")


# How the column assignment form (and a file's card) names each canonical column (message ids).
_LABELS = {
    "date": N_("Date (required)"),
    "views": N_("Views"),
    "reach": N_("Reach"),
    "impressions": N_("Impressions"),
    "likes": N_("Likes"),
    "comments": N_("Comments"),
    "shares": N_("Shares"),
    "saves": N_("Saves"),
    "posts": N_("Posts (count per row)"),
    "subscribers": N_("Subscribers (the count on that date)"),
    "subscribers_gained": N_("Subscribers gained"),
    "subscribers_lost": N_("Subscribers lost"),
    "subscribers_net": N_("Subscribers, net change"),
    "post_id": N_("Post id"),
    "title": N_("Post title"),
    "url": N_("Post link"),
    "published_at": N_("Publication time"),
}
# In the model's order (core.models.columns): a canonical column added there without a label here
# fails at import, so the form can never miss one.
COLUMN_LABELS = {column: _LABELS[column] for column in ("date", *MEASURES, *DESCRIPTORS)}


def mapping_problem(choices: dict[str, str | None]) -> str | None:
    """Why a column assignment {canonical: source header} cannot be used, or None."""
    if not choices.get("date"):
        return "Choose the column that holds the date."
    if not any(choices.get(m) for m in MEASURES):
        return "Choose at least one column with numbers (views, likes, subscribers…)."
    used = [h for h in choices.values() if h]
    twice = sorted({h for h in used if used.count(h) > 1})
    if twice:
        return f'The column "{twice[0]}" is assigned twice; give each column one meaning.'
    return None


def _fail(message: str) -> ParseError:
    return ParseError([Issue(message)])


def _listing(names: list[str], limit: int) -> str:
    return ", ".join(names[:limit]) + (", …" if len(names) > limit else "")


def choose_platform(
    requested: str, header: Header, *, check: bool = True
) -> tuple[str, float, dict[str, int]]:
    """The platform to read the file as, how sure that is, and every platform's score.

    With `check`, a chosen platform that the file plainly does not come from is refused.
    """
    requested = (requested or "auto").strip().lower()
    keys = {header.keys[i] for i in header.usable()}
    detected, sureness, found = detect(keys)
    if requested == "auto":
        return detected, sureness, found
    if requested not in PROFILES:
        raise _fail(
            _('Unknown platform "{platform}". Choose one of: {platforms}, or auto.').format(
                platform=requested, platforms=", ".join(PLATFORMS)
            )
        )
    if check and requested != GENERIC and detected != GENERIC and found.get(requested, 0) == 0:
        own = PROFILES[detected]
        clues = [header.names[i] for i in header.usable() if evidence(own, {header.keys[i]})][:3]
        message = _(
            "You chose {chosen}, but this file looks like a {platform} export (it has {clues}). "
            "Choose {platform} or automatic detection and upload it again."
        )
        clue_text = ", ".join(f"“{c}”" for c in clues)
        raise _fail(message.format(chosen=PLATFORMS[requested], platform=own.name, clues=clue_text))
    return requested, max(sureness, 0.9) if requested == detected else 0.75, found


def user_mapping(mapping: dict[str, str], header: Header) -> dict[int, str]:
    """Validate a mapping chosen by the user (source header -> canonical column)."""
    by_key = {header.keys[i]: i for i in header.usable()}
    chosen: dict[int, str] = {}
    taken: dict[str, str] = {}
    for source, canonical in mapping.items():
        if canonical in IGNORE:
            continue
        if canonical not in CANONICAL_COLUMNS:
            message = _('"{column}" is not a column we store. Choose one of: {columns}.')
            raise _fail(message.format(column=canonical, columns=", ".join(CANONICAL_COLUMNS)))
        i = by_key.get(normalise(source))
        if i is None:
            message = _(
                'The column "{source}" chosen for {column} is not in this file. Columns in this file: {columns}.'
            )
            columns = _listing([header.names[j] for j in header.usable()], LISTED_COLUMNS)
            raise _fail(message.format(source=source, column=canonical, columns=columns))
        if canonical in taken:
            message = _('Both "{first}" and "{second}" are mapped to {column}; choose one.')
            raise _fail(message.format(first=taken[canonical], second=source, column=canonical))
        taken[canonical] = source
        chosen[i] = canonical
    return chosen


def problem(platform: str, index_map: dict[int, str], header: Header) -> str | None:
    """Why this header cannot become canonical rows, or None when it can."""
    targets = set(index_map.values())
    columns = _listing([header.names[i] for i in header.usable()], LISTED_COLUMNS)
    if not targets & {"date", "published_at"}:
        keys = {header.keys[i] for i in header.usable()}
        refusal = rejection(PROFILES[platform], keys)
        if refusal:
            return _(refusal)
        hint = _(PROFILES[platform].no_date_hint or NO_DATE_HINT)
        message = _(
            "No date column found. Columns in this file: {columns}. Date columns we recognise: {known}. {hint}"
        )
        return message.format(columns=columns, known=_listing(date_aliases(), LISTED_ALIASES), hint=hint)
    if not targets & set(MEASURES):
        message = _(
            "No numbers to measure found. Columns in this file: {columns}. Columns we recognise: {known}. "
            "Choose which columns hold views, likes or followers."
        )
        return message.format(columns=columns, known=_listing(measure_aliases(), LISTED_ALIASES))
    return None


def notes(
    index_map: dict[int, str], header: Header, *, date_from_published: bool, keeps_time: bool
) -> list[str]:
    """What the mapping means, in words: flows versus levels, where dates and times come from."""
    out = []
    for i, canonical in sorted(index_map.items()):
        if canonical in MEANING:
            note = _('"{source}" is read as {column}: {meaning}.')
            out.append(note.format(source=header.names[i], column=canonical, meaning=_(MEANING[canonical])))
    by_target = {c: header.names[i] for i, c in index_map.items()}
    if date_from_published:
        out.append(_('Dates are taken from "{source}".').format(source=by_target["published_at"]))
    if keeps_time:
        source = by_target.get("published_at") or by_target["date"]
        note = _('Times in "{source}" are kept as the publication time (UTC where the file gives no offset).')
        out.append(note.format(source=source))
    return out


def confidence(platform: str, sureness: float, index_map: dict[int, str], header: Header) -> float:
    """0..1: how sure the platform is, times how completely the header was understood."""
    targets = set(index_map.values())
    if not targets & {"date", "published_at"} or not targets & set(MEASURES):
        return round(sureness * 0.25, 3)
    if platform == GENERIC:
        return round(0.5 + 0.5 * len(index_map) / max(1, len(header.usable())), 3)
    return round(sureness, 3)

"""Column types the tables share, and the canonical columns of raw_data (DESIGN.md, "Canonical columns")."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from sqlalchemy import JSON, BigInteger, DateTime
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import mapped_column

Count = Annotated[int | None, mapped_column(BigInteger)]
Stamp = Annotated[datetime, mapped_column(DateTime(timezone=True))]
JsonDoc = JSON().with_variant(JSONB(), "postgresql")

# Canonical measures, in the order raw_data stores them (DESIGN.md, "Canonical columns").
MEASURES = (
    "views",
    "reach",
    "impressions",
    "likes",
    "comments",
    "shares",
    "saves",
    "posts",
    "subscribers",
    "subscribers_gained",
    "subscribers_lost",
    "subscribers_net",
)
# What a row's engagements add up, and the measures per-date totals sum (subscribers is a level).
ENGAGEMENT = ("likes", "comments", "shares", "saves")
SUMMED = tuple(m for m in MEASURES if m != "subscribers")
# Measures no export can have below zero: the reader refuses them and raw_data CHECKs them (0005).
NEVER_NEGATIVE = ("views", "reach", "impressions", "posts", "subscribers")
DESCRIPTORS = ("post_id", "title", "url", "published_at")
# The tuple a parser yields per data row, and the column order of bulk loads.
ROW_COLUMNS = ("line", "date", *MEASURES, *DESCRIPTORS, "extra")


def utcnow() -> datetime:
    return datetime.now(UTC)

"""Report fixtures: a user and a ready posts file, on the backend `any_db` chooses."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import make_user
from tests.reports.report_factories import post_rows, report_file


@pytest.fixture
def owner(any_db) -> int:
    return make_user().id


@pytest.fixture
def posts_file(owner) -> uuid.UUID:
    return report_file(owner=owner, rows=post_rows(), warnings=["2 exact duplicate rows skipped."])

"""Follower activity by hour (issue 9, item 6): TikTok's "Follower activity" export is read as when
the followers are online — stored per hour, shown beside the best hour and in the report — and a
malformed one is refused naming the line, the column and the value. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
import uuid
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from core import activity, cli_ingest, presets, scope_view, timeline
from core.activity import FollowerActivity
from core.db import session_scope
from core.i18n import use_language
from core.models import SocialFile, utcnow
from core.reports.gather import render
from core.reports.scoped import scope_report_data
from tests.conftest import DATA, REAL_EXPORTS
from tests.factories import make_user

ACTIVITY = DATA / "activity"
REAL = REAL_EXPORTS / "tiktok__htupycollabs-spec__Analytics__FollowerActivity.csv"
# The real export's 7 days (Feb 21–27) of 24 hours, as the file writes them (hours 18–23 of Feb 27 are 0).
REAL_FIRST_DAY = [491, 364, 310, 323, 324, 417, 611, 874, 1053, 1075, 1128, 1092, 1128, 1142, 1153, 1093,
                  1103]  # fmt: skip


def _ingest(path: Path, email: str = "anna@example.com", **kwargs) -> dict:
    make_user(email)
    return cli_ingest.ingest_path(path, email=email, **kwargs)


def _stored(file_id: str) -> list[tuple]:
    with session_scope() as session:
        query = select(
            FollowerActivity.line,
            FollowerActivity.date,
            FollowerActivity.hour,
            FollowerActivity.followers,
            FollowerActivity.measured,
        ).where(FollowerActivity.file_id == uuid.UUID(file_id))
        return sorted(session.execute(query.order_by(FollowerActivity.line)))


READ = [
    # file, rows, (first stored row), (last stored row), followers online by hour {hour: mean}, warnings
    (
        "two_days.csv",
        48,
        (2, date(2026, 3, 4), 0, 100, True),
        (49, date(2026, 3, 5), 23, 223, True),
        {0: 150.0, 1: 151.0, 23: 173.0},
        [],
    ),
    (
        "no_dates.csv",  # a typical day with no dates, hours written 00:00
        24,
        (2, None, 0, 0, True),
        (25, None, 23, 230, True),
        {0: 0.0, 7: 70.0, 23: 230.0},
        [],
    ),
    (
        "ru_semicolon.csv",  # Windows-1251, ';', 04.03.2026; the last day exported at 20:00
        48,
        (2, date(2026, 3, 4), 0, 1000, True),
        (49, date(2026, 3, 5), 23, 0, False),
        {0: 1000.0, 19: 1019.0, 20: 1020.0, 23: 1023.0},
        [
            "The last 4 hours of Mar 5, 2026 (20:00–23:00) have 0 active followers: they were still to come "
            "when the file was exported, so they are left out of the averages by hour."
        ],
    ),
]


@pytest.mark.parametrize(("name", "rows", "first", "last", "online", "warnings"), READ)
def test_a_follower_activity_export_is_read_hour_by_hour(any_db, name, rows, first, last, online, warnings):
    out = _ingest(ACTIVITY / name)
    assert (out["status"], out["platform"], out["rows"], out["row_kind"]) == (
        "ready",
        "tiktok",
        rows,
        "hours",
    )
    assert out["warnings"] == warnings
    stored = _stored(out["file_id"])
    assert len(stored) == rows
    assert (stored[0], stored[-1]) == (first, last)
    assert {h: out["followers_online"][str(h)] for h in online} == online
    assert list(out["followers_online"]) == [str(h) for h in range(24)]


REFUSED = [
    (
        "hour_outside_0_23.csv",
        '2 problems found:\n- Line 4, column "Hour": "24" is not an hour of the day (0–23).\n'
        '- Line 5, column "Hour": "7am" is not an hour of the day (0–23).',
    ),
    (
        "repeated_hour.csv",
        'Line 5, column "Hour": "1" is the same hour as line 3 on Mar 4, 2026: each hour may appear once a day.',
    ),
    (
        "repeated_hour_no_dates.csv",
        'Line 4, column "Hour": "1" is the same hour as line 3: each hour may appear once.',
    ),
    (
        "bad_values.csv",
        '3 problems found:\n- Line 3, column "Active followers": "-6" is negative; this column counts things '
        "and cannot be below 0.\n"
        '- Line 4, column "Active followers": the number of active followers is missing.\n'
        '- Line 5, column "Active followers": "1.5" is not a whole number (a count was expected).',
    ),
]


@pytest.mark.parametrize(("name", "message"), REFUSED)
def test_a_malformed_activity_export_is_refused_naming_line_and_value(any_db, name, message):
    out = _ingest(ACTIVITY / name)
    assert (out["status"], out["rows"], out["error"]) == ("error", 0, message)
    assert _stored(out["file_id"]) == []


def test_the_refusal_is_in_the_users_language(sqlite_db):
    make_user("anna@example.com")
    with use_language("ru"):
        out = cli_ingest.ingest_path(ACTIVITY / "repeated_hour.csv", email="anna@example.com")
    assert out["error"] == (
        "Строка 5, столбец «Hour»: «1» — тот же час, что в строке 3 за 04.03.2026: "
        "каждый час может встречаться один раз в день."
    )


def test_the_real_tiktok_export_is_stored_as_it_is_written(any_db):
    out = _ingest(REAL)
    assert (out["status"], out["platform"], out["rows"]) == ("ready", "tiktok", 168)
    assert out["period"] == {"start": "2026-02-21", "end": "2026-02-27"}
    stored = _stored(out["file_id"])
    lines = REAL.read_text(encoding="utf-8-sig").splitlines()[1:]
    written = [tuple(int(c.strip('"')) for c in line.split(",")[1:]) for line in lines]
    assert [(hour, followers) for _line, _day, hour, followers, _m in stored] == written
    assert [f for _l, day, _h, f, _m in stored if day == date(2026, 2, 21)][:17] == REAL_FIRST_DAY
    assert {day for _l, day, *_ in stored} == {date(2026, 2, d) for d in range(21, 28)}
    # Hours 18–23 of the export day are 0 in the file: stored as 0, left out of the means.
    assert [(h, f, m) for _l, day, h, f, m in stored if day == date(2026, 2, 27) and h >= 17] == [
        (17, 1114, True),
        *((h, 0, False) for h in range(18, 24)),
    ]
    by_hour = {int(h): v for h, v in out["followers_online"].items()}
    column = {h: [f for _l, _d, hh, f, m in stored if hh == h and m] for h in range(24)}
    assert by_hour == {h: round(sum(v) / len(v), 2) for h, v in column.items()}
    assert (len(column[0]), len(column[18])) == (7, 6)
    assert max(by_hour, key=by_hour.get) == 13  # 1,207.14 followers online on average at 13:00


def test_the_account_shows_when_its_followers_are_online_beside_its_days(any_db):
    """The activity file joins the TikTok account of the Overview export; the Explorer's view and
    the account's PDF report carry the hours, while the timeline's rows stay the Overview's."""
    overview = _ingest(REAL_EXPORTS / "tiktok__htupycollabs-spec__Analytics__Overview.csv")
    online = cli_ingest.ingest_path(REAL, email="anna@example.com")
    assert online["account"] == overview["account"]
    with session_scope() as session:
        owner = session.get(SocialFile, uuid.UUID(online["file_id"])).owner
        scope = timeline.account_scope(session, actor=owner, account_id=overview["account"]["id"])
        assert [p.row_kind for p in scope.files] == ["days"]  # no timeline rows from the activity file
        span = presets.DateRange(date(2026, 2, 1), date(2026, 2, 27))
        before = presets.DateRange(date(2026, 1, 5), date(2026, 1, 31))
        shown = scope_view.view(session, scope, span=span, before=before, grain="day", order="views")
        assert activity.as_dict(shown.online) == online["followers_online"]
        assert shown.online["days"].tolist() == [7] * 18 + [6] * 6
        data = scope_report_data(session, scope=scope, span=span, generated_at=utcnow())
        assert [h for h, _v in data.online] == list(range(24))
        assert dict(data.online)[13] == online["followers_online"]["13"]
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render(data, fmt="pdf"))).pages)
        text = " ".join(text.split())  # a chart title may be set in two lines
        assert "When your followers are online (mean followers online by hour of day)" in text
        # Outside the activity's days there is nothing to show.
        early = presets.DateRange(date(2025, 6, 1), date(2025, 6, 30))
        assert activity.by_hour(session, scope=scope, start=early.start, end=early.end) is None


def test_another_users_account_does_not_see_the_activity(any_db):
    out = _ingest(REAL)
    _ingest(REAL_EXPORTS / "tiktok__htupycollabs-spec__Analytics__Overview.csv", email="ben@example.com")
    with session_scope() as session:
        ben_file = session.scalar(select(SocialFile).where(SocialFile.original_name.like("%Overview%")))
        ben = ben_file.owner
        scope = timeline.account_scope(session, actor=ben, account_id=ben_file.account_id)
        assert activity.by_hour(session, scope=scope) is None
        anna_file = session.get(SocialFile, uuid.UUID(out["file_id"]))
        assert anna_file.account_id != ben_file.account_id


def test_deleting_the_file_deletes_its_hours(any_db):
    from core import files

    out = _ingest(REAL)
    with session_scope() as session:
        file = session.get(SocialFile, uuid.UUID(out["file_id"]))
        files.delete_file(session, actor=file.owner, file_id=file.id)
    assert _stored(out["file_id"]) == []


def test_an_account_with_only_follower_activity_has_a_report_of_its_days(any_db):
    from core.reports.scoped import download_scope

    out = _ingest(REAL)
    with session_scope() as session:
        user_id = session.get(SocialFile, uuid.UUID(out["file_id"])).user_id
    name, pdf = download_scope(user_id=user_id, account=out["account"]["id"], fmt="pdf")
    assert name.endswith("FollowerActivity_2026-02-21_2026-02-27.pdf")  # the account, over its days
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "When your followers are online (mean followers online by hour of day)" in text

"""The Upload page (AppTest): files appear at once, the status list follows the database, mapping."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core import pipeline
from core.db import session_scope
from core.models import SocialFile, User
from tests.conftest import REAL_EXPORTS
from tests.factories import make_user
from tests.ui.auth_fixtures import texts
from tests.ui.pages_fixtures import days_csv, ingest, open_page, stored

pytestmark = pytest.mark.usefixtures("sqlite_db", "routed")
TIKTOK = REAL_EXPORTS / "tiktok__htupycollabs-spec__Analytics__Overview.csv"


@pytest.fixture
def anna():
    make_user("root@example.com", role="admin")
    return make_user("anna@example.com")


def send(at, *uploads: tuple[str, bytes], platform: str | None = None, period=None):
    """Choose files (and options) in the upload form and submit it."""
    at.file_uploader(key="upload_files").set_value([(name, data, "text/csv") for name, data in uploads])
    if platform is not None:
        at.selectbox(key="upload_platform").select(platform)
    if period is not None:
        at.selectbox(key="upload_period").select(period)
    return at.button(key="upload_submit").click().run()


def my_files(user) -> list[SocialFile]:
    with session_scope() as session:
        return list(session.scalars(select(SocialFile).where(SocialFile.user_id == user.id)))


def badges(at) -> list[str]:
    return [m.value for m in at.markdown if "-badge[" in m.value]


def test_the_empty_page_offers_the_form(anna):
    at = open_page("pages/upload.py", anna)
    assert not at.exception
    assert "Your uploads appear here as soon as you send them." in texts(at)
    assert at.selectbox(key="upload_platform").value == "auto"
    assert at.selectbox(key="upload_platform").options[:3] == ["Detect automatically", "YouTube", "TikTok"]
    assert at.selectbox(key="upload_period").value == 30
    assert at.selectbox(key="upload_period").options == ["Last 7 days", "Last 30 days", "Last 90 days",
                                                         "Last 365 days", "All data"]  # fmt: skip


def test_submitted_files_appear_at_once_and_reach_ready(anna, enqueued):
    at = open_page("pages/upload.py", anna)
    at = send(
        at, (TIKTOK.name, TIKTOK.read_bytes()), ("days.csv", days_csv(60)), platform="tiktok", period=90
    )
    assert not at.exception
    stored_files = my_files(anna)
    assert sorted(f.original_name for f in stored_files) == sorted([TIKTOK.name, "days.csv"])
    assert all(f.status == "queued" and f.period_days == 90 for f in stored_files)
    assert all(f.platform_requested == "tiktok" for f in stored_files)
    # The page handed both to the worker and parsed nothing itself.
    assert sorted(enqueued) == sorted(str(f.id) for f in stored_files)
    assert all(f.rows == 0 for f in my_files(anna))
    assert TIKTOK.name in texts(at) and "days.csv" in texts(at)
    assert badges(at).count(":gray-badge[:material/schedule: Queued]") == 2

    tiktok = next(f for f in stored_files if f.original_name == TIKTOK.name)
    pipeline.process_file(tiktok.id)
    at.run()  # what the 2-second fragment does in a browser
    assert not at.exception
    assert badges(at).count(":green-badge[:material/check_circle: Ready]") == 1
    assert "TikTok · Last 90 days · 365 rows" in texts(at)


def test_progress_of_a_processing_file_is_shown(anna, enqueued):
    at = open_page("pages/upload.py", anna)
    at = send(at, ("days.csv", days_csv(10)))
    [file] = my_files(anna)
    with session_scope() as session:
        session.get(SocialFile, file.id).status = "processing"
        session.get(SocialFile, file.id).progress = 37
    at.run()
    [bar] = at.get("progress")
    assert bar.proto.value == 37 and "Reading and loading rows… 37 %" == bar.proto.text


def test_a_file_being_retried_says_so(anna, enqueued):
    at = open_page("pages/upload.py", anna)
    at = send(at, ("days.csv", days_csv(10)))
    [file] = my_files(anna)
    note = pipeline.RETRYING.format(kind="OperationalError", retry=1, limit=3)
    with session_scope() as session:
        session.get(SocialFile, file.id).status = "processing"
        session.get(SocialFile, file.id).error_text = note
    at.run()
    assert [w.value for w in at.warning] == [note]


def test_a_rejected_file_shows_its_full_error_and_can_be_retried(anna, enqueued):
    file_id = ingest(anna, b"date,views\n2024-01-01,10\n2024-01-02,12abc\n2024-01-03,x\n", name="bad.csv")
    error_text = stored(file_id).error_text
    assert "\n" in error_text  # several problems, one per line
    at = open_page("pages/upload.py", anna)
    assert error_text in [e.value for e in at.error]
    at.button(key=f"upload_retry_{file_id}").click().run()
    assert not at.exception
    assert enqueued == [str(file_id)] and stored(file_id).status == "queued"


def test_an_empty_upload_is_refused_with_the_reason(anna, enqueued):
    at = send(open_page("pages/upload.py", anna), ("empty.csv", b""))
    assert not at.exception
    assert any('"empty.csv" is empty' in e.value for e in at.error)
    assert my_files(anna) == [] and enqueued == []


def test_a_limit_reached_is_said_and_the_other_files_of_the_form_still_go(anna, enqueued, monkeypatch):
    from core.config import get_settings

    monkeypatch.setenv("MAX_FILES_IN_FLIGHT", "1")
    get_settings.cache_clear()
    at = send(open_page("pages/upload.py", anna), ("a.csv", days_csv(3)), ("b.csv", days_csv(3)))
    assert not at.exception
    assert any("b.csv: You have 1 file still being processed" in e.value for e in at.error)
    assert [f.original_name for f in my_files(anna)] == ["a.csv"] and len(enqueued) == 1


def test_delete_removes_the_file_after_confirmation(anna, enqueued):
    file_id = ingest(anna, days_csv(10), name="days.csv")
    folder = Path(stored(file_id).path).parent
    at = open_page("pages/upload.py", anna)
    at.button(key=f"upload_delete_{file_id}").click().run()
    at.button(key=f"upload_yes_{file_id}").click().run()
    assert not at.exception
    assert stored(file_id) is None and not folder.exists()
    assert "Your uploads appear here" in texts(at)


def test_unsure_detection_lets_the_user_assign_columns_and_submit_again(anna, enqueued):
    file_id = ingest(anna, b"Day,Watch count,Thumbs\n2024-01-01,5,1\n2024-01-02,7,2\n", name="odd.csv")
    assert stored(file_id).status == "error"
    at = open_page("pages/upload.py", anna)
    at.button(key=f"upload_map_{file_id}").click().run()
    assert not at.exception
    assert "Assign the columns of odd.csv" in texts(at)
    assert at.selectbox(key=f"upload_map_{file_id}_date").value == "Day"  # the parser's guess
    at.selectbox(key=f"upload_map_{file_id}_views").select("Watch count")
    at.selectbox(key=f"upload_map_{file_id}_likes").select("Thumbs")
    at.button(key="upload_map_submit").click().run()
    assert not at.exception
    assert stored(file_id).mapping_override == {"Day": "date", "Watch count": "views", "Thumbs": "likes"}
    assert enqueued == [str(file_id)] and stored(file_id).status == "queued"
    assert "Assign the columns" not in texts(at)
    pipeline.process_file(file_id)
    assert stored(file_id).status == "ready" and stored(file_id).rows == 2


def test_the_mapping_screen_reads_with_the_users_date_order_and_delimiter_live(anna, enqueued):
    # Issue 9, "no dead ends": the reading choices change the live preview and are kept for processing.
    file_id = ingest(anna, b"Day;Watch count\n01/02/2024;5\n03/02/2024;7\n", name="semi.csv")
    at = open_page("pages/upload.py", anna)
    at.button(key=f"upload_map_{file_id}").click().run()
    assert any(w.value.startswith("No numbers to measure found.") for w in at.warning)  # the live preview
    at.selectbox(key=f"upload_read_{file_id}_delimiter").select(",").run()
    assert not at.exception
    assert at.selectbox(key=f"upload_map_{file_id}_date").options == ["— none —", "Day;Watch count"]
    at.selectbox(key=f"upload_read_{file_id}_delimiter").select(";").run()
    at.selectbox(key=f"upload_read_{file_id}_date_order").select("mdy").run()
    at.selectbox(key=f"upload_map_{file_id}_date").select("Day")
    at.selectbox(key=f"upload_map_{file_id}_views").select("Watch count")
    at.button(key="upload_map_submit").click().run()
    assert not at.exception
    assert stored(file_id).read_options == {"delimiter": ";", "date_order": "mdy"}
    pipeline.process_file(file_id)
    file = stored(file_id)
    assert (file.status, file.rows, file.period_end.isoformat()) == ("ready", 2, "2024-03-02")  # dmy: 02-03


def test_the_mapping_screen_refuses_an_assignment_without_a_date(anna, enqueued):
    file_id = ingest(anna, b"Tag,Watch count\nx,5\n", name="nodate.csv")
    at = open_page("pages/upload.py", anna)
    at.button(key=f"upload_map_{file_id}").click().run()
    at.selectbox(key=f"upload_map_{file_id}_views").select("Watch count")
    at.button(key="upload_map_submit").click().run()
    assert "Choose the column that holds the date." in [e.value for e in at.error]
    assert stored(file_id).mapping_override is None and enqueued == []


def test_the_status_list_shows_only_the_users_own_uploads(anna):
    ben = make_user("ben@example.com")
    ingest(ben, days_csv(10), name="ben.csv")
    with session_scope() as session:
        admin = session.scalar(select(User).where(User.role == "admin"))
    for user in (anna, admin):  # the admin's upload page is about their own uploads too
        at = open_page("pages/upload.py", user)
        assert "ben.csv" not in texts(at)


def test_the_mapping_screen_never_opens_another_users_file(anna):
    ben = make_user("ben@example.com")
    secret = ingest(ben, b"Day,Watch count\n2024-01-01,5\n", name="ben-secret.csv")
    at = open_page("pages/upload.py", anna)
    at.session_state["upload_mapping_file"] = str(secret)
    at.run()
    assert not at.exception
    assert "ben-secret.csv" not in texts(at)
    assert not [box for box in at.selectbox if str(secret) in (box.key or "")]  # no mapping screen
    assert "upload_mapping_file" not in at.session_state


def test_a_ready_file_shows_how_it_was_read(anna, enqueued):
    at = open_page("pages/upload.py", anna)
    at = send(at, (TIKTOK.name, TIKTOK.read_bytes()))
    pipeline.process_file(my_files(anna)[0].id)
    at.run()
    assert not at.exception
    assert [e.label for e in at.expander] == ["How this file was read"]
    table = at.dataframe[0].value
    assert dict(zip(table["Column in the file"], table["Read as"], strict=True)) == {
        "Date": "Date (required)",
        "Video Views": "Views",
        "Profile Views": "kept as is",
        "Likes": "Likes",
        "Comments": "Comments",
        "Shares": "Shares",
    }
    assert "TikTok export" in " ".join(c.value for c in at.caption)


def test_exports_go_to_the_account_picked_or_named_and_the_card_says_which(anna, enqueued):
    at = open_page("pages/upload.py", anna)
    at.text_input(key="upload_new_account").input("Acme on YouTube")
    at = send(at, ("october.csv", days_csv(31)))
    assert not at.exception
    pipeline.process_file(enqueued[-1])
    from datetime import date

    from core.models import Account

    with session_scope() as session:
        [account] = session.scalars(select(Account).where(Account.user_id == anna.id)).all()
    at = open_page("pages/upload.py", anna)
    assert any(o.startswith("Acme on YouTube · ") for o in at.selectbox(key="upload_account").options)
    at.selectbox(key="upload_account").select(str(account.id))  # November into the same account, picked

    at = send(at, ("november.csv", days_csv(30, start=date(2024, 2, 1))))
    pipeline.process_file(enqueued[-1])
    with session_scope() as session:
        [account] = session.scalars(select(Account).where(Account.user_id == anna.id)).all()
        named = {f.original_name: f.account_id for f in session.scalars(select(SocialFile))}
    assert account.name == "Acme on YouTube"
    assert named == {"october.csv": account.id, "november.csv": account.id}
    at = open_page("pages/upload.py", anna)
    assert "account Acme on YouTube" in texts(at)


def test_the_same_bytes_again_are_refused_with_a_link_to_the_first_upload(anna, enqueued):
    ingest(anna, days_csv(20), name="first.csv")
    at = open_page("pages/upload.py", anna)
    at = send(at, ("again.csv", days_csv(20)))
    assert not at.exception
    [warning] = at.warning
    assert warning.value.startswith("again.csv: This file was already uploaded on ")
    assert 'as "first.csv"' in warning.value and "Nothing new was stored." in warning.value
    assert [f.original_name for f in my_files(anna)] == ["first.csv"]
    assert len(enqueued) == 0

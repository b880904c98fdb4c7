"""What the worker stores about a file (its error, warnings, how it was read) reads in the viewer's language,
whatever the language it was processed in: the messages are kept as records and rendered when shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import cli_ingest, pipeline, uploads
from core.db import session_scope
from core.i18n import render, use_language
from core.models import SocialFile, User
from tests.factories import make_user

DATA = Path(__file__).parent / "data"


def _ingest(user: User, path: Path) -> SocialFile:
    with session_scope() as session:
        file = uploads.create_upload(
            session, actor=user, name=path.name, data=path.read_bytes(), period_days=30
        )
        file_id = file.id
    pipeline.process_file(file_id)
    with session_scope() as session:
        return session.get(SocialFile, file_id)


def _owner(language: str | None) -> User:
    user = make_user("anna@example.com")
    with session_scope() as session:
        session.get(User, user.id).language = language
    return user


@pytest.mark.parametrize("owner_language", [None, "ru"])
def test_a_refused_file_reads_in_each_viewers_language(any_db, owner_language):
    file = _ingest(_owner(owner_language), DATA / "parsing" / "bad_values.csv")
    assert file.status == "error"
    with use_language("ru"):
        russian = render(file.error_message)
    with use_language("en"):
        english = render(file.error_message)
    assert "Строка 3, столбец «views»: «12abc» — не число." in russian and "Line" not in russian
    assert 'Line 3, column "views": "12abc" is not a number.' in english and "Строка" not in english
    # error_text (the REST API's and the command line's) is written in the owner's language
    assert file.error_text == (russian if owner_language == "ru" else english)


def test_warnings_and_reading_notes_read_in_the_viewers_language(any_db, tmp_path):
    rows = ["date,views,likes", "2024-01-01,10,1", "2024-01-01,10,1", "2024-01-02,12,2"]
    path = tmp_path / "twice.csv"
    path.write_text("\n".join(rows) + "\n")
    file = _ingest(_owner(None), path)
    assert file.status == "ready"
    with use_language("ru"):
        assert [render(w) for w in file.warnings] == ["Пропущена 1 строка-дубликат."]
    with use_language("en"):
        assert [render(w) for w in file.warnings] == ["1 exact duplicate row skipped."]
    assert cli_ingest.describe(file.id)["warnings"] == ["1 exact duplicate row skipped."]

"""No upload ever ends in a traceback: whatever the bytes, the outcome is rows or a ParseError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.parsing import ParseError, suggest_mapping
from tests.conftest import REAL_EXPORTS
from tests.parsing.conftest import LIMITS, PARSING_DATA, TODAY, read_all

SEEDS = sorted(p for p in [*PARSING_DATA.iterdir(), *REAL_EXPORTS.glob("*.csv")] if p.stat().st_size < 20_000)
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def outcome(path) -> str:
    """ "rows" or "refused"; anything else escapes as the exception it is."""
    try:
        read_all(path)
        suggest_mapping(path, today=TODAY, limits=LIMITS)
        return "rows"
    except ParseError as exc:
        assert exc.text.strip() and "Traceback" not in exc.text
        return "refused"


@FUZZ
@given(data=st.binary(max_size=3000))
def test_random_bytes(write, data):
    outcome(write("random.csv", data))


@FUZZ
@given(
    text=st.text(st.characters(exclude_categories=["Cs"]), max_size=400),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_random_text(write, text, encoding):
    outcome(write("random.csv", text.encode(encoding)))


@FUZZ
@given(
    seed=st.sampled_from(SEEDS),
    cut=st.floats(0, 1),
    splices=st.lists(
        st.tuples(
            st.floats(0, 1),
            st.sampled_from([b",", b";", b'"', b"\n", b"\r", b"\x00", b"\xff", b"-", b"Total,"]),
        ),
        max_size=6,
    ),
)
def test_damaged_real_files(write, seed, cut, splices):
    data = bytearray(seed.read_bytes())
    data = data[: max(1, int(len(data) * cut))] if cut < 0.9 else data
    for where, piece in splices:
        at = int(len(data) * where)
        data[at:at] = piece
    outcome(write("damaged" + seed.suffix, bytes(data)))

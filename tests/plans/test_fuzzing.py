"""Whatever bytes arrive, the plan reader answers with a plan or a clear PlanReadError."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.plans import PlanReadError, read_date, read_plan

TODAY = date(2026, 3, 20)
MAGICS = st.sampled_from([b"", b"PK\x03\x04", bytes.fromhex("d0cf11e0a1b11ae1"), b"Recommendation;Action\n"])


@settings(max_examples=150, deadline=None)
@given(MAGICS, st.binary(max_size=400))
def test_any_bytes_give_a_plan_or_a_clear_refusal(magic, data):
    try:
        plan = read_plan(magic + data, TODAY)
    except PlanReadError as error:
        assert str(error).strip()
    else:
        assert plan.rows


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.integers(), st.floats(allow_nan=True)))
def test_any_cell_gives_a_date_a_question_or_nothing(value):
    reading = read_date(value, TODAY)
    assert not (reading.value and reading.problem)

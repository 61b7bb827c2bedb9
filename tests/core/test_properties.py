"""Properties of the grading rules over generated inputs (hypothesis): worsening any single input never lowers a
scale's grade; grades stay in range; the fever waiver never applies outside an episode (R-AST-2, D9), neither in
the pure rule nor through the fold; NEWS2 totals stay in 0–20; the status level stays in 0–4."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.protocol import shipped_protocol
from core.records import Consciousness, OxygenDevice, StoredRecord, Vasopressor, parse_record
from core.rules.crs import CrsInput, grade_crs
from core.rules.news2 import news2
from core.rules.status import status_level
from core.state import fold_history
from tests.scenario import T0, patient

PROTOCOL = shipped_protocol("default")

#: Oxygen devices in order of support (R-AST-5): moving to a higher rank is a worsening.
DEVICE_RANK = {
    OxygenDevice.ROOM_AIR: 0, OxygenDevice.BLOW_BY: 1, OxygenDevice.NASAL_CANNULA: 1,
    OxygenDevice.HIGH_FLOW_NASAL_CANNULA: 2, OxygenDevice.SIMPLE_MASK: 2, OxygenDevice.VENTURI_MASK: 2,
    OxygenDevice.NON_REBREATHER: 2, OxygenDevice.CPAP: 3, OxygenDevice.BIPAP: 3,
    OxygenDevice.INVASIVE_VENTILATION: 3,
}

temperatures = st.none() | st.integers(350, 420).map(lambda tenths: tenths / 10) | st.sampled_from([38.0, 38.5])
flows = st.none() | st.integers(0, 30).map(lambda halves: halves / 2)

crs_inputs = st.builds(
    CrsInput,
    temperature_c=temperatures,
    systolic_bp=st.none() | st.integers(50, 160),
    # Weighted towards the devices whose tier depends on the flow (R-AST-5), where the boundaries are.
    oxygen_device=st.none() | st.sampled_from(list(OxygenDevice))
    | st.sampled_from([OxygenDevice.NASAL_CANNULA, OxygenDevice.HIGH_FLOW_NASAL_CANNULA]),
    oxygen_flow_l_min=flows,
    fio2_percent=st.none() | st.integers(21, 100),
    oxygen_for_comfort_only=st.sampled_from([False, False, False, True]),
    fluid_bolus_given=st.booleans(),
    vasopressors=st.frozensets(st.sampled_from(list(Vasopressor)), max_size=3),
    life_threatening=st.booleans(),
    fever_other_cause=st.sampled_from([False, False, False, True]),
    crs_episode_open=st.booleans(),
    crs_treatment_given=st.booleans(),
    age_years=st.none() | st.integers(0, 90),
)


def _hotter(i, draw):
    if i.temperature_c is None:
        return replace(i, temperature_c=draw(st.integers(350, 420)) / 10)
    return replace(i, temperature_c=round(i.temperature_c + draw(st.integers(1, 30)) / 10, 1))


def _lower_sbp(i, draw):
    assume(i.systolic_bp is not None)
    return replace(i, systolic_bp=i.systolic_bp - draw(st.integers(1, 10)))


def _more_fio2(i, draw):
    assume(i.fio2_percent is not None and i.fio2_percent < 100)
    return replace(i, fio2_percent=draw(st.integers(i.fio2_percent + 1, 100)))


def _more_flow(i, draw):
    assume(i.oxygen_flow_l_min is not None)
    return replace(i, oxygen_flow_l_min=i.oxygen_flow_l_min + draw(st.integers(1, 10)) / 2)


def _more_oxygen_support(i, draw):
    assume(i.oxygen_device is not None and DEVICE_RANK[i.oxygen_device] < 3)
    higher = [d for d, r in DEVICE_RANK.items() if r > DEVICE_RANK[i.oxygen_device]]
    return replace(i, oxygen_device=draw(st.sampled_from(higher)))


def _add_vasopressor(i, draw):
    missing_agents = [agent for agent in Vasopressor if agent not in i.vasopressors]
    assume(missing_agents)
    return replace(i, vasopressors=i.vasopressors | {draw(st.sampled_from(missing_agents))})


def _set(flag, value):
    def move(i, draw):
        return replace(i, **{flag: not value}), replace(i, **{flag: value})
    return move


WORSENINGS = {
    "temperature_up": _hotter, "systolic_down": _lower_sbp, "fio2_up": _more_fio2, "flow_up": _more_flow,
    "more_oxygen_support": _more_oxygen_support, "vasopressor_added": _add_vasopressor,
    "fluid_bolus_given": _set("fluid_bolus_given", True), "life_threatening": _set("life_threatening", True),
    "episode_open": _set("crs_episode_open", True), "treatment_given": _set("crs_treatment_given", True),
    "oxygen_needed_not_comfort": _set("oxygen_for_comfort_only", False),
    "fever_not_other_cause": _set("fever_other_cause", False),
}


@pytest.mark.parametrize("move", list(WORSENINGS))
@settings(max_examples=100, deadline=None)
@given(i=crs_inputs, data=st.data())
def test_worsening_one_input_never_lowers_a_grade(move, i, data):
    moved = WORSENINGS[move](i, data.draw)
    base, worse = moved if isinstance(moved, tuple) else (i, moved)
    before, after = grade_crs(base, PROTOCOL), grade_crs(worse, PROTOCOL)
    assert after.astct.grade >= before.astct.grade
    assert after.ctcae.grade >= before.ctcae.grade
    assert after.grade >= before.grade


@settings(max_examples=300, deadline=None)
@given(crs_inputs)
def test_grades_in_range_and_waiver_only_inside_an_episode(i):
    result = grade_crs(i, PROTOCOL)
    assert 0 <= result.astct.grade <= 4 and 0 <= result.ctcae.grade <= 4  # 5 only by a clinician (R-AST-8)
    assert result.grade == max(result.astct.grade, result.ctcae.grade)
    if result.fever_waived:
        assert i.crs_episode_open and i.crs_treatment_given
    if not i.crs_episode_open:
        assert result.fever_waived is False


@settings(max_examples=300, deadline=None)
@given(st.integers(2, 80), st.integers(50, 100), st.sampled_from(list(OxygenDevice)), st.integers(40, 300),
       st.integers(20, 300), st.sampled_from(list(Consciousness)), st.integers(250, 450), st.sampled_from([1, 2]))
def test_news2_total_in_0_to_20(rr, spo2, device, sbp, hr, level, tenths, scale):
    result = news2(respiratory_rate=rr, spo2_percent=spo2, oxygen_device=device, systolic_bp=sbp, heart_rate=hr,
                   consciousness=level, temperature_c=tenths / 10, scale=scale)
    assert result.complete
    assert 0 <= result.score <= 20
    assert result.score == sum(result.parameter_scores.values())
    assert result.red_parameter is (3 in result.parameter_scores.values())
    level_ = status_level(crs_grade=0, news2=result)
    assert 0 <= level_.level <= 3


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 5), st.none() | st.integers(0, 4), st.integers(0, 4))
def test_status_level_in_0_to_4(crs_grade, icans_grade, seizures):
    result = status_level(crs_grade=crs_grade, icans_grade=icans_grade, seizures=seizures)
    assert 0 <= result.level <= 4
    assert result.level == max([min(crs_grade, 4), icans_grade or 0, 4 if seizures >= 2 else 3 if seizures else 0])


# -- the waiver through the fold ----------------------------------------------------------------------------------

record_specs = st.one_of(
    st.builds(lambda t, sbp: ("vitals", {"temperature_c": t / 10, "systolic_bp": sbp}),
              st.integers(360, 400), st.integers(70, 130)),
    st.builds(lambda drug, purpose: ("medication_given", {"drug": drug, "dose_mg": 10, "purpose": purpose}),
              st.sampled_from(["dexamethasone", "tocilizumab", "paracetamol"]),
              st.sampled_from(["premedication", "crs_treatment", "other"])),
    st.just(("fluid_bolus", {"volume_ml": 500})),
    st.just(("crs_episode_closed", {"reason": "resolved"})),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60 * 72), record_specs), min_size=1, max_size=12))
def test_fold_waiver_never_outside_an_episode(timeline):
    records = []
    for seq, (minute, (kind, fields)) in enumerate(sorted(timeline, key=lambda item: item[0]), start=1):
        at = T0 + timedelta(minutes=minute)
        data = {"id": str(uuid.uuid4()), "mrn": "A100", "at": at.isoformat(), "type": kind, **fields}
        records.append(StoredRecord(parse_record(data), seq, at, "test"))
    for state in fold_history(patient(), records, PROTOCOL):
        if state.crs.computed.fever_waived:
            assert state.crs.episode_open
            assert state.crs.episodes[-1].treated
        assert 0 <= state.crs.grade <= 4

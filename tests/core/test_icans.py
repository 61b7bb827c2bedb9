"""ICANS grading (RULES.md §2.3, R-ICN-1..5): every ICE band edge, each domain, V34, children under 12, missing ICE."""

from __future__ import annotations

import pytest

from core.records import Arousal, CerebralEdema, Seizure
from core.rules.icans import NOTE_ICE_NOT_DONE, NOTE_ICE_UNDER_12, grade_icans, ice_tier


@pytest.mark.parametrize("ice, tier", [
    pytest.param(10, 0, id="R-ICN-1-10"), pytest.param(9, 1, id="R-ICN-1-9"), pytest.param(7, 1, id="R-ICN-1-7"),
    pytest.param(6, 2, id="R-ICN-1-6"), pytest.param(3, 2, id="R-ICN-1-3"), pytest.param(2, 3, id="R-ICN-1-2"),
    pytest.param(0, 3, id="R-ICN-1-0-awake"),
])
def test_r_icn_1_ice_bands(ice, tier):
    assert ice_tier(ice, Arousal.AWAKE) == tier
    assert grade_icans(ice_score=ice).grade == tier


def test_r_icn_1_ice_not_possible_because_unarousable_is_tier_4():
    assert ice_tier(None, Arousal.UNAROUSABLE) == 4
    result = grade_icans(ice_score=None, arousal=Arousal.UNAROUSABLE)
    assert (result.grade, result.missing) == (4, ())


@pytest.mark.parametrize("arousal, tier", [
    pytest.param(Arousal.AWAKE, 0, id="R-ICN-2-awake"),
    # Corrected rule: drowsy but waking without a stimulus is grade 1 (ASTCT 2019 Table 5), between awake and voice.
    pytest.param(Arousal.AWAKENS_SPONTANEOUSLY, 1, id="R-ICN-2-awakens-spontaneously"),
    pytest.param(Arousal.VOICE, 2, id="R-ICN-2-voice"),
    pytest.param(Arousal.TOUCH, 3, id="R-ICN-2-touch"), pytest.param(Arousal.UNAROUSABLE, 4, id="R-ICN-2-unarousable"),
])
def test_r_icn_2_level_of_consciousness(arousal, tier):
    result = grade_icans(ice_score=10, arousal=arousal)
    assert (result.loc_tier, result.grade) == (tier, tier)


@pytest.mark.parametrize("seizure, tier", [
    pytest.param(Seizure.NONE, 0, id="R-ICN-3-none"), pytest.param(Seizure.RESOLVED, 3, id="R-ICN-3-resolved"),
    pytest.param(Seizure.PROLONGED_OR_REPEATED, 4, id="R-ICN-3-prolonged"),
])
def test_r_icn_3_seizure(seizure, tier):
    result = grade_icans(ice_score=10, seizure=seizure)
    assert (result.seizure_tier, result.grade) == (tier, tier)


@pytest.mark.parametrize("motor, edema, grade", [
    pytest.param(True, CerebralEdema.NONE, 4, id="R-ICN-4-motor"),
    pytest.param(False, CerebralEdema.FOCAL, 3, id="R-ICN-4-focal-oedema"),
    pytest.param(False, CerebralEdema.DIFFUSE, 4, id="R-ICN-4-diffuse-oedema"),
    pytest.param(False, CerebralEdema.NONE, 0, id="R-ICN-4-none"),
])
def test_r_icn_4_motor_and_oedema(motor, edema, grade):
    assert grade_icans(ice_score=10, motor_weakness=motor, cerebral_edema=edema).grade == grade


def test_r_icn_5_grade_is_the_most_severe_domain_with_rules():
    result = grade_icans(ice_score=5, arousal=Arousal.TOUCH, cerebral_edema=CerebralEdema.FOCAL)
    assert (result.ice_tier, result.loc_tier, result.edema_tier, result.grade) == (2, 3, 3, 3)
    assert result.rules == ("R-ICN-1", "R-ICN-2", "R-ICN-4", "R-ICN-5")


@pytest.mark.parametrize("ice, arousal, edema, grade", [
    pytest.param(10, Arousal.AWAKE, CerebralEdema.NONE, 0, id="V34-ice10-awake"),
    pytest.param(7, Arousal.AWAKE, CerebralEdema.NONE, 1, id="V34-ice7"),
    pytest.param(6, Arousal.AWAKE, CerebralEdema.NONE, 2, id="V34-ice6"),
    pytest.param(3, Arousal.VOICE, CerebralEdema.NONE, 2, id="V34-ice3-voice"),
    pytest.param(2, Arousal.AWAKE, CerebralEdema.NONE, 3, id="V34-ice2"),
    pytest.param(0, Arousal.AWAKE, CerebralEdema.NONE, 3, id="V34-ice0-awake-aphasia"),
    pytest.param(None, Arousal.UNAROUSABLE, CerebralEdema.NONE, 4, id="V34-ice0-unarousable"),
    pytest.param(9, Arousal.AWAKE, CerebralEdema.FOCAL, 3, id="V34-ice9-focal-oedema"),
])
def test_v34(ice, arousal, edema, grade):
    assert grade_icans(ice_score=ice, arousal=arousal, cerebral_edema=edema).grade == grade


def test_d7_ice_not_done_in_an_awake_patient_is_reported_missing():
    result = grade_icans(ice_score=None, arousal=Arousal.VOICE)
    assert (result.grade, result.missing, result.notes) == (2, ("ice_score",), (NOTE_ICE_NOT_DONE,))


@pytest.mark.parametrize("age, grade, notes", [
    pytest.param(11, 0, (NOTE_ICE_UNDER_12,), id="age-11-ice-not-graded"),
    pytest.param(12, 3, (), id="age-12-ice-graded"),
])
def test_ice_is_graded_only_from_age_12(age, grade, notes):
    result = grade_icans(ice_score=2, age_years=age)
    assert (result.grade, result.notes) == (grade, notes)


def test_under_12_other_domains_still_grade():
    result = grade_icans(ice_score=None, arousal=Arousal.TOUCH, seizure=Seizure.RESOLVED, age_years=6)
    assert (result.grade, result.missing) == (3, ())


def test_r_icn_2_awakens_spontaneously_through_a_record_and_the_fold():
    """A neuro assessment recorded as 'awakens spontaneously' with a perfect ICE gives ICANS 1 in the patient's
    state; 'awake' gives 0 (the earlier rule text made both 0)."""
    from core.protocol import shipped_protocol
    from core.state import fold
    from tests.scenario import Timeline, patient

    for arousal, grade in (("awake", 0), ("awakens_spontaneously", 1), ("voice", 2)):
        tl = Timeline()
        tl.add(0, "neuro_assessment", ice_score=10, arousal=arousal)
        state = fold(patient(), tl.records, tl.at(0, 1), shipped_protocol())
        assert (arousal, state.icans.grade) == (arousal, grade)

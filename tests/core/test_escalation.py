"""Closing the loop on prompts (issue 13; INTERFACE.md Additions): ``acknowledged``, ``escalate_unacknowledged``,
``observations.last_not_done`` and ``patient_updated`` in the fold, at their boundaries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from scenario import Timeline, patient

from core.errors import InputError
from core.fold import tracking
from core.protocol import shipped_protocol
from core.records import parse_record
from core.state import PatientFold, fold

PROTOCOL = shipped_protocol("default")
UNACK = "escalate_unacknowledged"


def running() -> Timeline:
    """Premedicated at 07:15, infusion running from 07:30: no prompt yet."""
    tl = Timeline()
    tl.add(-0.75, "medication_given", drug="dexamethasone", dose_mg=20, purpose="premedication")
    tl.add(-0.5, "infusion_started", dose_mcg=9, duration_h=24)
    return tl


def fever() -> Timeline:
    """CRS grade 1 at 08:00 (T 38.3) during the infusion: the prompt ``increase_observations`` arises then."""
    tl = running()
    tl.add(0, "vitals", temperature_c=38.3)
    return tl


def at_minutes(tl: Timeline, minutes: float):
    state = fold(patient(), tl.records, tl.at(minutes=minutes), PROTOCOL)
    return state, {r.code: r for r in state.recommendations}


@pytest.mark.parametrize("minutes, escalates", [(14, False), (15, True), (16, True)])
def test_a_prompt_pending_for_the_protocols_15_minutes_escalates_to_the_nurse_in_charge(minutes, escalates):
    state, recs = at_minutes(fever(), minutes)
    assert recs["increase_observations"].acknowledged is None
    assert recs["increase_observations"].since == fever().at(0)
    assert (UNACK in recs) is escalates
    if escalates:
        assert recs[UNACK].about == ("increase_observations",)
        assert recs[UNACK].since == fever().at(minutes=15)
        assert recs[UNACK].text == "Not acknowledged for 15 min (1 prompt waiting): tell the nurse in charge."
        assert state.recommendations[0].code == UNACK  # the most urgent line


def test_the_limit_is_the_protocols_not_the_codes():
    protocol = PROTOCOL.model_copy(update={"escalation": PROTOCOL.escalation.model_copy(
        update={"unacknowledged_minutes": 30})})
    tl = fever()

    def codes(minutes: int) -> set[str]:
        return {r.code for r in fold(patient(), tl.records, tl.at(minutes=minutes), protocol).recommendations}

    assert UNACK not in codes(29) and UNACK in codes(30)


def test_an_escalation_acknowledges_the_codes_it_names_and_the_prompt_stops_escalating():
    tl = fever()
    tl.add(0, "escalation", minutes=10, to="prescriber", response="advice_given",
           acknowledges=["increase_observations"], name="Dr Synthetic", note="paracetamol, obs hourly", by="nurse.a")
    state, recs = at_minutes(tl, 16)
    ack = recs["increase_observations"].acknowledged
    assert ack.to_json() == {"at": tl.at(minutes=10).isoformat(), "by": "nurse.a", "to": "prescriber",
                             "response": "advice_given", "name": "Dr Synthetic", "note": "paracetamol, obs hourly"}
    assert UNACK not in recs and state.pending == ()
    status = state.to_json()["recommendations"]
    assert status[0]["acknowledged"] == {"at": "2022-01-10T08:10:00-06:00", "by": "nurse.a", "to": "prescriber",
                                         "response": "advice_given", "name": "Dr Synthetic",
                                         "note": "paracetamol, obs hourly"}


@pytest.mark.parametrize("offset, acknowledged", [(-1, False), (0, True), (1, True)])
def test_only_an_escalation_at_or_after_the_prompt_arose_acknowledges_it(offset, acknowledged):
    tl = running()
    tl.add(0, "vitals", temperature_c=37.0)
    tl.add(0, "escalation", minutes=10 + offset, to="nurse_in_charge", response="advice_given",
           acknowledges=["increase_observations"])
    tl.add(0, "vitals", minutes=10, temperature_c=38.3)
    _, recs = at_minutes(tl, 20)
    assert (recs["increase_observations"].acknowledged is not None) is acknowledged


def test_an_escalation_naming_other_codes_leaves_this_prompt_pending():
    tl = fever()
    tl.add(0, "escalation", minutes=5, to="prescriber", response="attending", acknowledges=["notify_prescriber"])
    _, recs = at_minutes(tl, 15)
    assert recs["increase_observations"].acknowledged is None and UNACK in recs


@pytest.mark.parametrize("minutes, escalates", [(24, False), (25, True)])
def test_a_call_nobody_answered_shows_but_the_prompt_escalates_15_minutes_after_the_call(minutes, escalates):
    tl = fever()
    tl.add(0, "escalation", minutes=10, to="prescriber", response="no_response",
           acknowledges=["increase_observations"])
    _, recs = at_minutes(tl, minutes)
    assert recs["increase_observations"].acknowledged.response == "no_response"
    assert (UNACK in recs) is escalates


def test_telling_the_nurse_in_charge_acknowledges_the_escalation_itself():
    tl = fever()
    tl.add(0, "escalation", minutes=16, to="nurse_in_charge", response="attending", acknowledges=[UNACK])
    _, recs = at_minutes(tl, 20)
    assert recs[UNACK].acknowledged.to == "nurse_in_charge"
    assert recs["increase_observations"].acknowledged is None


def test_the_record_a_prompt_asks_for_answers_it_and_a_new_prompt_waits_again():
    tl = running()
    tl.add(2, "vitals", temperature_c=38.6, systolic_bp=86)   # CRS grade 2 while running: interrupt
    _, recs = at_minutes(tl, 120 + 15)
    assert recs["interrupt_infusion"].since == tl.at(2) and UNACK in recs
    assert "interrupt_infusion" in recs[UNACK].about
    tl.add(2, "infusion_stopped", minutes=16, reason="crs")
    _, recs = at_minutes(tl, 120 + 17)
    assert "interrupt_infusion" not in recs
    assert "interrupt_infusion" not in recs[UNACK].about  # the others (notify_prescriber) are still pending


def test_a_prompt_arising_from_the_clock_alone_dates_from_the_minute_it_arose():
    # The bag of 24 h hung at 07:30 is due for a change at 07:30 the next day, with no record in between.
    tl = running()
    for minutes, escalates in ((23.5 * 60 + 14, False), (23.5 * 60 + 15, True)):
        _, recs = at_minutes(tl, minutes)
        assert recs["bag_change_due"].since == tl.at(23.5)
        assert (UNACK in recs) is escalates


# A prompt arisen within the answer's 24 h is found to the minute, as before; one older is dated from 24 h ago, like a
# prompt present at a record long ago, from one state per prompt however long the gap.
@pytest.mark.parametrize("hours, since, probes", [
    (23.5 + 10, {"bag_change_due": 23.5}, 13),
    (24 * 3, {"bag_change_due": 48.0}, 1),
    (24 * 365, {"give_premedication": 8736.0, "step_up_due": 8736.0, "cycle_infusion_complete": 8736.0}, 3),
])
def test_a_clock_prompt_after_a_long_gap_dates_from_24_hours_ago_in_one_probe(monkeypatch, hours, since, probes):
    # The window at start-up folds every bed at "now", however old the file's last record; the search for when a
    # clock prompt arose spans at most the answer's 24 h (one state per prompt when it is older), not the gap.
    tl = running()
    computed: list = []
    original = tracking.codes_at
    monkeypatch.setattr(tracking, "codes_at", lambda folder, at: computed.append(at) or original(folder, at))
    state = fold(patient(), tl.records, tl.at(hours), PROTOCOL)
    recs = {r.code: r for r in state.recommendations}
    assert {code: (recs[code].since - tl.at(0)) / timedelta(hours=1) for code in since} == since
    assert UNACK in recs
    assert len([at for at in computed if at > tl.at(-0.5)]) == probes


def test_the_cached_fold_answers_like_a_fresh_fold():
    tl = fever()
    tl.add(0, "escalation", minutes=3, to="prescriber", response="no_response", acknowledges=["increase_observations"])
    cached = PatientFold.of(patient(), tl.records, PROTOCOL)
    for minutes in (3, 17, 18, 40):
        assert cached.state(tl.at(minutes=minutes)).to_json() == \
            fold(patient(), tl.records, tl.at(minutes=minutes), PROTOCOL).to_json()


def test_a_declined_prompt_needs_its_reason():
    base = {"id": "7d4c2b1e-0000-4000-8000-000000000002", "mrn": "A100", "at": "2022-01-10T08:00:00-06:00",
            "type": "escalation", "to": "prescriber", "response": "declined", "acknowledges": ["notify_prescriber"]}
    with pytest.raises(InputError) as caught:
        parse_record(base)
    assert str(caught.value) == "record: a note giving the reason is required when the response is 'declined'"
    with pytest.raises(InputError):
        parse_record({**base, "note": "   "})
    assert parse_record({**base, "note": "seen 10 min ago, plan unchanged"}).note


def test_observations_not_done_is_in_the_status_with_its_reason():
    tl = fever()
    assert fold(patient(), tl.records, tl.at(1), PROTOCOL).to_json()["observations"] == {"last_not_done": None}
    tl.add(1, "observations_not_done", reason="refused", by="nurse.a")
    tl.add(2, "observations_not_done", reason="other", note="in theatre")
    assert fold(patient(), tl.records, tl.at(1.5), PROTOCOL).to_json()["observations"] == {"last_not_done": {
        "at": tl.at(1).isoformat(), "reason": "refused", "note": None, "by": "nurse.a"}}
    assert fold(patient(), tl.records, tl.at(3), PROTOCOL).to_json()["observations"]["last_not_done"]["reason"] == \
        "other"


def test_patient_updated_moves_the_bed_from_its_at_and_the_newest_value_of_each_field_wins():
    tl = fever()
    tl.add(1, "patient_updated", bed="14", ward="8E")
    tl.add(2, "patient_updated", bed="3")
    tl.add(1.5, "patient_updated", weight_kg=44.0)
    before = fold(patient(), tl.records, tl.at(0.5), PROTOCOL).to_json()
    moved = fold(patient(), tl.records, tl.at(1.75), PROTOCOL)
    later = fold(patient(), tl.records, tl.at(3), PROTOCOL)
    assert (before["ward"], before["bed"]) == ("7W", "12")
    assert (moved.patient.ward, moved.patient.bed, moved.patient.weight_kg) == ("8E", "14", 44.0)
    assert (later.patient.ward, later.patient.bed) == ("8E", "3")
    assert later.patient.name == "Test Patient" and later.patient.mrn == "A100"   # fields not named stay
    # The dose follows the weight: under 45 kg it is by body-surface area (R-DOSE-1).
    assert later.infusion.dosing.basis != "fixed" or later.patient.weight_kg >= 45


def test_patient_updated_survives_a_snapshot_of_the_fold():
    from core.snapshot import dump_fold, load_fold

    tl = fever()
    tl.add(1, "patient_updated", bed="14")
    cached = PatientFold.of(patient(), tl.records, PROTOCOL)
    restored = load_fold(dump_fold(cached), patient(), PROTOCOL)
    assert restored.state(tl.at(2)).patient.bed == "14"
    assert restored.state(tl.at(2)).to_json() == cached.state(tl.at(2)).to_json()


def test_a_correction_of_a_transfer_puts_the_patient_back():
    tl = fever()
    move = tl.add(1, "patient_updated", bed="14")
    tl.add(1.5, "entered_in_error", target_id=str(move.record.id), reason="wrong patient")
    assert fold(patient(), tl.records, tl.at(2), PROTOCOL).patient.bed == "12"


def test_sixteen_minutes_after_is_still_escalated_at_the_next_record():
    tl = fever()
    tl.add(0, "note", minutes=16, text="patient comfortable")
    _, recs = at_minutes(tl, 16)
    assert UNACK in recs and recs["increase_observations"].since == tl.at(0)
    assert recs[UNACK].since == tl.at(0) + timedelta(minutes=15)


def long_fever() -> Timeline:
    """Grade 1 for a day and more (a temperature every 3 h), answered at 08:10 by the prescriber."""
    tl = fever()
    tl.add(0, "escalation", minutes=10, to="prescriber", response="advice_given",
           acknowledges=["increase_observations"])
    for hours in range(3, 31, 3):
        tl.add(hours, "vitals", temperature_c=38.3)
    tl.add(23.5, "bag_changed", dose_mcg=9, duration_h=24)
    return tl


@pytest.mark.parametrize("minutes, acknowledged, escalates", [
    (24 * 60 + 10, True, False),          # the answer holds for the protocol's 24 h ...
    (24 * 60 + 11, False, False),         # ... then the prompt is asked again,
    (24 * 60 + 24, False, False),
    (24 * 60 + 25, False, True),          # and escalates 15 min after the answer ran out.
])
def test_an_answer_holds_for_the_protocols_24_hours_then_the_prompt_is_asked_again(minutes, acknowledged, escalates):
    tl = long_fever()
    _, recs = at_minutes(tl, minutes)
    assert (recs["increase_observations"].acknowledged is not None) is acknowledged
    assert (UNACK in recs) is escalates
    cached = PatientFold.of(patient(), [r for r in tl.records if r.record.at <= tl.at(minutes=minutes)], PROTOCOL)
    assert cached.state(tl.at(minutes=minutes)).to_json() == \
        fold(patient(), tl.records, tl.at(minutes=minutes), PROTOCOL).to_json()


def test_a_fold_extended_record_by_record_answers_like_a_fresh_fold_over_days():
    records = sorted(long_fever().records, key=lambda r: r.record.at)
    extended = PatientFold.of(patient(), records[:3], PROTOCOL)
    for index in range(3, len(records)):
        extended.extend([records[index]])
        when = records[index].record.at + timedelta(minutes=20)
        assert extended.state(when).to_json() == fold(patient(), records[:index + 1], when, PROTOCOL).to_json()

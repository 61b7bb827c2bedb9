"""The handover's structured content (RULES.md §7) from scenario timelines, its HTML, and the golden pages."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.clock import FixedClock
from core.errors import InputError
from core.handover import (
    STABLE,
    UNSTABLE,
    WATCHER,
    apply_severities,
    build_handover,
    build_patient_handover,
    page_frame,
    patient_html,
    suggest_severity,
    ward_html,
)
from core.protocol import shipped_protocol
from core.rules.news2 import risk_band
from core.services import Bedside
from core.state import fold, fold_history
from core.store import Store
from tests.scenario import T0, Timeline, patient

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
TZ = T0.tzinfo

# The handover prints the computer's local time at each moment (issue 14): the scenarios' zone is made local.
pytestmark = pytest.mark.usefixtures("us_central_local_time")


def normal(**changes):
    fields = {"temperature_c": 36.8, "heart_rate": 80, "respiratory_rate": 16, "systolic_bp": 120, "diastolic_bp": 75,
              "spo2_percent": 97, "oxygen_device": "room_air", "consciousness": "alert"}
    fields.update(changes)
    return fields


def handover_of(tl: Timeline, at: datetime, protocol, pat=None, severity=None):
    pat = pat or patient()
    state = fold(pat, tl.records, at, protocol)
    history = fold_history(pat, [r for r in tl.records if r.record.at <= at], protocol)
    return build_patient_handover(state, history, tl.records, protocol, severity)


def crs_grade2_held(mrn: str = "A100") -> Timeline:
    """R/R adult cycle 1: fever, then SBP 86 after a bolus (CRS G2, V4), infusion stopped for CRS."""
    tl = Timeline(mrn)
    tl.add(-1, "medication_given", drug="dexamethasone", dose_mg=20, purpose="premedication")
    tl.add(0, "infusion_started", dose_mcg=18, duration_h=48)
    tl.add(20, "vitals", **normal())
    tl.add(30, "vitals", **normal(temperature_c=38.2, heart_rate=100))
    tl.add(31, "fluid_bolus", volume_ml=500)
    tl.add(31.5, "vitals", **normal(temperature_c=38.4, heart_rate=100, systolic_bp=86, diastolic_bp=50))
    tl.add(31.6, "infusion_stopped", reason="crs")
    return tl


# -- illness severity (RULES.md §7 item 1) ------------------------------------------------------------------------
@pytest.mark.parametrize(("crs", "icans", "news2_score", "expected"), [
    (0, None, 4, STABLE), (0, None, 5, WATCHER), (0, None, 6, WATCHER), (0, None, 7, UNSTABLE),
    (1, None, 0, WATCHER), (2, 0, 0, WATCHER), (3, 0, 0, UNSTABLE),
    (0, 0, 0, STABLE), (0, 1, 0, WATCHER), (0, 2, 0, WATCHER), (0, 3, 0, UNSTABLE),
])
def test_severity_suggestion_at_each_threshold(crs, icans, news2_score, expected):
    suggested, _ = suggest_severity(crs, icans, risk_band(news2_score, False), news2_score)
    assert suggested == expected


def test_a_single_red_parameter_alone_is_not_watcher_and_reasons_are_listed():
    assert suggest_severity(0, None, risk_band(3, True), 3) == (STABLE, ())
    assert suggest_severity(3, 1, risk_band(7, False), 7) == (UNSTABLE, ("CRS grade 3", "NEWS2 7", "ICANS grade 1"))


def test_incomplete_latest_set_uses_the_last_complete_news2_within_the_lookback(protocol):
    tl = Timeline()
    tl.add(0, "vitals", **normal(respiratory_rate=26, systolic_bp=95, heart_rate=115))   # NEWS2 3+2+2 = 7
    tl.add(1, "vitals", temperature_c=37.0)                                             # partial: no NEWS2
    h = handover_of(tl, tl.at(1.5), protocol)
    assert h.news2.complete is False and h.news2.score is None
    assert [(v.at, v.value) for v in h.news2.trend] == [(tl.at(0), 7)]
    assert h.severity.suggested == UNSTABLE
    assert h.last_full_vitals is not None and h.last_full_vitals.at == tl.at(0)
    assert h.later_partial_vitals is not None and h.later_partial_vitals.at == tl.at(1)
    # Beyond the 4-hour look-back the old score no longer counts.
    assert handover_of(tl, tl.at(4, 1), protocol).severity.suggested == STABLE


# -- a CRS grade 2 hold -------------------------------------------------------------------------------------------
def test_crs_grade2_hold_content(protocol):
    tl = crs_grade2_held()
    at = tl.at(33)
    h = handover_of(tl, at, protocol)
    assert (h.crs.grade, h.crs.astct, h.crs.ctcae, h.crs.scales_differ) == (2, 2, 2, False)
    assert (h.crs.episode_open, h.crs.episode_started, h.crs.episode_max_grade) == (True, tl.at(30), 2)
    assert (h.crs.episode_max_astct, h.crs.episode_max_ctcae) == (2, 2)
    assert h.severity.suggested == WATCHER and h.severity.selected == WATCHER
    assert h.severity.reasons == ("CRS grade 2", "NEWS2 5")
    assert h.news2.score == 5 and h.news2.risk == "medium"      # SBP 86: 3, HR 100: 1, T 38.4: 1 (R-NEWS-1)
    inf = h.infusion
    assert (inf.state, inf.cycle, inf.cycle_day, inf.hold_count) == ("held", 1, 2, 1)
    assert inf.current_hold_hours == pytest.approx(1.4)
    assert inf.new_cycle_limit_at == tl.at(31.6) + timedelta(days=7)
    assert inf.discontinuation_limit_at == tl.at(31.6) + timedelta(days=14)
    assert inf.dose_mcg_per_day == 9.0 and inf.premedication_due is False
    assert [(g.at, g.what) for g in h.circulation.fluids_24h] == [(tl.at(31), "500 mL bolus")]
    assert h.circulation.fluids_count_until == tl.at(31) + timedelta(hours=6)
    # Action list: prompts due now first (most urgent first), then the timed lines in time order.
    # Nobody answered the prompts of 09:30 (tests/core/test_escalation.py): they are pending and escalated.
    assert [(a.kind, a.pending) for a in h.actions if a.due is None] == [
        ("escalate_unacknowledged", True), ("notify_prescriber", True), ("increase_observations", True)]
    timed = [(a.kind, a.due) for a in h.actions if a.due is not None]
    assert timed == [("observations", tl.at(31.5) + timedelta(minutes=15)),
                     ("hold_limit", tl.at(31.6) + timedelta(days=7)),
                     ("hold_limit", tl.at(31.6) + timedelta(days=14))]
    assert h.observations_overdue is True
    conditions = [c.condition for c in h.contingencies]
    assert "T >= 38.0 °C" in conditions
    assert any("SBP < 90 mmHg" in c for c in conditions)
    assert any("FiO2 >= 40 %" in c for c in conditions)
    assert "NEWS2 >= 5, or any single parameter scoring 3" in conditions and "NEWS2 >= 7" in conditions
    assert "ICE 6 or less, or wakes only to voice" in conditions
    restart = next(c for c in h.contingencies if c.condition == "The prescriber orders a restart")
    assert (tl.at(31.6) + timedelta(hours=4)).isoformat() in restart.response


def test_contingencies_follow_the_protocol_thresholds():
    tl = crs_grade2_held()
    default = {c.condition: c.response for c in handover_of(tl, tl.at(33), shipped_protocol("default")).contingencies}
    label = {c.condition: c.response for c in handover_of(tl, tl.at(33), shipped_protocol("label")).contingencies}
    g2 = next(k for k in default if k.startswith("New O2 need"))
    assert "interrupt the infusion (protocol: grade >= 2)" in default[g2]
    assert "interrupt" not in label[g2]
    g3 = next(k for k in label if k.startswith("Any vasopressor"))
    assert "interrupt the infusion (protocol: grade >= 3)" in label[g3]


def test_premedication_due_on_restart_after_a_four_hour_hold_is_an_action(protocol):
    tl = crs_grade2_held()
    h = handover_of(tl, tl.at(31.6, minutes=240), protocol)     # exactly 4 h held
    assert h.infusion.premedication_due is True and h.infusion.premedication_reason == "restart_after_hold"
    assert [a.kind for a in h.actions].count("give_premedication") == 1
    h = handover_of(tl, tl.at(31.6, minutes=239), protocol)
    assert h.infusion.premedication_due is False
    assert "give_premedication" not in [a.kind for a in h.actions]



def test_a_restart_without_premedication_is_printed_as_a_warning_line(protocol):
    # R-PREMED-3: restarted 5 h after the stop with no premedication recorded.
    tl = crs_grade2_held()
    tl.add(36.6, "infusion_resumed", dose_mcg=9, duration_h=24)
    h = handover_of(tl, tl.at(37), protocol)
    assert len(h.infusion.warnings) == 1
    assert h.infusion.warnings[0].endswith("no premedication recorded before the restart after a hold of 4 h or more")


# -- fever waiver, scales differ, labs ----------------------------------------------------------------------------
def test_fever_waiver_after_tocilizumab_v14(protocol):
    tl = Timeline()
    tl.add(0, "vitals", **normal(temperature_c=38.6, systolic_bp=86, diastolic_bp=50, fluid_bolus_given=True))
    tl.add(1, "medication_given", drug="tocilizumab", dose_mg=560, purpose="crs_treatment")
    tl.add(7, "vitals", **normal(temperature_c=37.1, systolic_bp=84, diastolic_bp=50, fluid_bolus_given=True))
    h = handover_of(tl, tl.at(7.5), protocol)
    assert h.crs.grade == 2 and h.crs.fever_waived is True
    assert [(g.at, g.what) for g in h.crs.crs_treatment] == [(tl.at(1), "tocilizumab 560 mg for CRS")]
    assert h.contingencies[0].rules == "R-AST-2"


def test_episode_maximum_on_both_scales_and_scales_differ_v9(protocol):
    tl = Timeline()
    tl.add(0, "vitals", **normal(temperature_c=38.6, oxygen_device="nasal_cannula", oxygen_flow_l_min=4.0,
                                 fio2_percent=40, spo2_percent=95))
    tl.add(3, "vitals", **normal(temperature_c=38.3))
    h = handover_of(tl, tl.at(3.5), protocol)
    assert (h.crs.grade, h.crs.astct, h.crs.ctcae) == (1, 1, 1)
    assert (h.crs.episode_max_grade, h.crs.episode_max_astct, h.crs.episode_max_ctcae) == (3, 2, 3)
    at_peak = handover_of(tl, tl.at(0.5), protocol)
    assert at_peak.crs.scales_differ is True and at_peak.severity.suggested == UNSTABLE


def test_crp_after_tocilizumab_is_marked_unreliable_for_14_days(protocol):
    tl = Timeline()
    tl.add(0, "lab_result", test="crp", value=180, unit="mg/L")
    tl.add(1, "medication_given", drug="tocilizumab", dose_mg=560, purpose="crs_treatment")
    tl.add(48, "lab_result", test="crp", value=12, unit="mg/L")
    tl.add(48, "lab_result", test="ferritin", value=2400, unit="ug/L")
    h = handover_of(tl, tl.at(49), protocol)
    crp = h.labs[0]
    assert crp.test == "crp" and [(v.value, v.note) for v in crp.values] == [(180, None), (12, "unreliable")]
    assert crp.tocilizumab_at == tl.at(1) and crp.unreliable_until == tl.at(1) + timedelta(days=14)
    assert [lab.test for lab in h.labs] == ["crp", "ferritin"]
    assert handover_of(tl, tl.at(1) + timedelta(days=14, minutes=1), protocol).labs[0].tocilizumab_at is None


def test_icans_trend_and_seizure_contingency(protocol):
    tl = Timeline()
    for hours, ice in ((0, 10), (4, 8), (8, 6), (12, 5)):
        tl.add(hours, "neuro_assessment", ice_score=ice)
    tl.add(13, "neuro_assessment", ice_score=7, seizure="resolved")
    h = handover_of(tl, tl.at(14), protocol)
    assert [v.value for v in h.icans.ice_trend] == [6, 5, 7]
    assert (h.icans.grade, h.icans.seizures) == (3, 1)
    seizure = next(c for c in h.contingencies if "any seizure" in c.condition)
    assert seizure.response.startswith("seizure number 2 this course: label discontinues")


# -- the trend strip ----------------------------------------------------------------------------------------------
def test_trend_strip_holds_24_hours_and_the_grade_steps(protocol):
    tl = crs_grade2_held()
    tl.add(8, "vitals", **normal(temperature_c=37.0))          # 25 h before the handover: outside the strip
    at = tl.at(33)
    strip = handover_of(tl, at, protocol).trend
    assert (strip.start, strip.end) == (at - timedelta(hours=24), at)
    temps = next(s for s in strip.series if s.key == "temperature_c")
    assert [(p.at, p.value) for p in temps.points] == [(tl.at(20), 36.8), (tl.at(30), 38.2), (tl.at(31.5), 38.4)]
    assert temps.reference == 38.0
    assert next(s for s in strip.series if s.key == "systolic_bp").reference == 90.0
    assert [(p.at, p.value) for p in strip.crs_grade_steps] == [(at - timedelta(hours=24), 0.0), (tl.at(30), 1.0),
                                                                 (tl.at(31), 2.0)]


# -- the ward -----------------------------------------------------------------------------------------------------
@pytest.fixture
def ward(tmp_path, protocol):
    """Three patients: stable (bed 1), CRS grade 2 held (bed 2), NEWS2 7 (bed 3)."""
    at = T0 + timedelta(hours=33)
    store = Store.open(tmp_path / "ward.db")
    p1 = patient(mrn="W1", name="Ada Stable", bed="1")
    p2 = patient(mrn="W2", name="Ben Watcher", bed="2")
    p3 = patient(mrn="W3", name="Cy Unstable", bed="3", marrow_blasts_percent=70)
    records = []
    one = Timeline("W1")
    one.add(32, "vitals", **normal())
    two = crs_grade2_held("W2")
    three = Timeline("W3")
    three.add(32, "vitals", **normal(respiratory_rate=26, systolic_bp=95, heart_rate=115))
    for tl in (one, two, three):
        records += [r.record for r in tl.records]
    store.append([p1, p2, p3], records, recorded_by="test", now=at)
    bedside = Bedside(store, protocol, FixedClock(at + timedelta(minutes=5)), "nurse.test")
    yield bedside, at
    store.close()


def test_ward_summary_is_sorted_by_acuity(ward):
    bedside, at = ward
    h = build_handover(bedside, at=at, app_version="test")
    assert [(w.mrn, w.severity) for w in h.ward_lines] == [("W3", UNSTABLE), ("W2", WATCHER), ("W1", STABLE)]
    assert [p.patient.mrn for p in h.patients] == ["W1", "W2", "W3"]          # patient pages in bed order
    assert h.include_ward_summary is True
    w2 = h.ward_lines[1]
    assert (w2.crs_grade, w2.news2_score, w2.hold_count, w2.infusion, w2.dose_mcg_per_day) == \
        (2, 5, 1, "HELD C1 D2", 9.0)
    assert w2.held_hours == pytest.approx(1.4)
    assert h.info.printed_at == at + timedelta(minutes=5) and h.info.data_up_to == at
    assert (h.info.protocol_id, h.info.protocol_version) == ("default", "1")
    assert h.patients[2].risk_factors == ("high_tumor_burden",)


def test_nurse_severity_changes_the_page_and_the_order(ward):
    bedside, at = ward
    h = apply_severities(build_handover(bedside, at=at, app_version="test"), {"W1": UNSTABLE, "W3": WATCHER})
    assert [(w.mrn, w.severity) for w in h.ward_lines] == [("W1", UNSTABLE), ("W2", WATCHER), ("W3", WATCHER)]
    w1 = h.patients[0]
    assert (w1.severity.suggested, w1.severity.selected, w1.severity.changed_by_nurse) == (STABLE, UNSTABLE, True)
    assert "Selected by the nurse; the app suggested <b>Stable</b>" in patient_html(w1, h.info)
    with pytest.raises(InputError, match="severity: 'critical' is not one of stable, watcher, unstable"):
        apply_severities(h, {"W1": "critical"})
    with pytest.raises(InputError, match="severities: NOPE is not a patient in this handover"):
        apply_severities(h, {"NOPE": STABLE})


def test_one_patient_handover_and_unknown_mrn(ward):
    bedside, at = ward
    h = build_handover(bedside, mrns=["W2"], at=at, app_version="test")
    assert [p.patient.mrn for p in h.patients] == ["W2"] and h.include_ward_summary is False
    with pytest.raises(InputError, match="patient: W9 is not a known patient"):
        build_handover(bedside, mrns=["W9"], at=at, app_version="test")


def test_page_frame_carries_the_stamp(ward):
    bedside, at = ward
    h = build_handover(bedside, mrns=["W2"], at=at, app_version="9.9")
    frame = page_frame(h.info, h.patients[0].patient)
    assert frame.title == "Ben Watcher"
    assert frame.identifier == "MRN W2 · bed 2 · 7W · DOB 02 Mar 1981"
    assert frame.footer[0] == ("Printed at 11 Jan 17:05 with data up to 11 Jan 17:00 (local time, UTC-06:00)")
    assert frame.footer[1].startswith("Protocol default version 1 (Default ward protocol")
    assert "· CRS Bedside 9.9 · CRS: ASTCT 2019 + CTCAE v5.0" in frame.footer[1]
    assert "decision support — not an order" in frame.footer[2]


# -- HTML ---------------------------------------------------------------------------------------------------------
def test_names_and_free_text_are_escaped(protocol):
    evil = patient(name="<b>Zoë O'Neil & \"Co\"</b>", diagnosis="B-ALL <script>x</script>")
    tl = Timeline()
    tl.add(0, "vitals", **normal())
    h = handover_of(tl, tl.at(1), protocol, pat=evil)
    store_info = build_handover_info(protocol)
    html = patient_html(h, store_info)
    assert "&lt;b&gt;Zoë O&#39;Neil &amp; &#34;Co&#34;&lt;/b&gt;" in html
    assert "<b>Zoë" not in html and "<script>" not in html
    assert "B-ALL &lt;script&gt;x&lt;/script&gt;" in html


def build_handover_info(protocol):
    from core.handover import DocumentInfo
    from core.handover_words import limit_text, span_text

    at = T0 + timedelta(hours=1)
    return DocumentInfo(printed_at=at, data_up_to=at, protocol_id=protocol.id, protocol_version=protocol.version,
                        protocol_name=protocol.name, app_version="test", tz=TZ,
                        new_cycle_limit=limit_text(protocol.infusion.new_cycle_hold_minutes),
                        discontinuation_limit=limit_text(protocol.infusion.discontinuation_hold_minutes),
                        premedication_hold=span_text(protocol.infusion.premedication_hold_minutes))


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("CRS_REGEN_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with CRS_REGEN_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file (CRS_REGEN_GOLDEN=1)"


def test_golden_patient_and_ward_pages(ward):
    bedside, at = ward
    h = build_handover(bedside, at=at, app_version="golden")
    _golden("handover_patient.html", patient_html(h.patients[1], h.info, "trend:1", (700, 124)))
    _golden("handover_ward.html", ward_html(h))


def test_contingencies_for_a_child_use_the_paediatric_limits(protocol):
    tl = Timeline()
    tl.add(0, "vitals", **normal())
    child = patient(birth_date="2015-03-01", weight_kg=25, bsa_m2=0.9)       # 6 years old at T0
    conditions = [c.condition for c in handover_of(tl, tl.at(1), protocol, pat=child).contingencies]
    assert any("SBP < 82 mmHg" in c for c in conditions)                      # 70 + 2 x 6 (R-AST-3)
    assert "Child under 12: new agitation, reduced arousal, or any seizure" in conditions
    assert not any(c.startswith(("ICE", "NEWS2")) for c in conditions)
    teen_page = handover_of(tl, tl.at(1), protocol, pat=patient(birth_date="2009-01-10"))
    teen = [c.condition for c in teen_page.contingencies]
    assert "ICE 6 or less, or wakes only to voice" in teen                    # 13: ICE from 12 (RULES §2.1)
    assert not any(c.startswith("NEWS2") for c in teen)                       # NEWS2 from 16 (RULES §4.1)
    adult = [c.condition for c in handover_of(tl, tl.at(1), protocol).contingencies]
    assert any("SBP < 90 mmHg" in c for c in adult) and "NEWS2 >= 7" in adult


def test_a_long_episode_builds_whole_states_only_for_the_last_24_h_and_keeps_its_highest_grades(
        tmp_path, protocol, monkeypatch):
    # Building every state of a CRS episode of days made the ward's handover slow (issue 20): before the trend's
    # 24 h only the grading is done, and the episode's highest grade on each scale is still the whole episode's.
    from core.state import _Folder

    tl = Timeline("A100")
    tl.add(0, "infusion_started", dose_mcg=18, duration_h=48)
    tl.add(7.9, "fluid_bolus", volume_ml=500)
    tl.add(8, "vitals", **normal(temperature_c=38.4, heart_rate=104, systolic_bp=86, diastolic_bp=50))   # grade 2
    for hours in range(12, 49, 4):
        tl.add(hours, "vitals", **normal(temperature_c=38.2, heart_rate=96))                            # grade 1
    at = tl.at(50)
    store = Store.open(tmp_path / "ward.db")
    store.append([patient()], [r.record for r in tl.records], recorded_by="test", now=at)
    bedside = Bedside(store, protocol, FixedClock(at), "nurse.test")
    built = []
    real_state = _Folder.state
    monkeypatch.setattr(_Folder, "state", lambda self, when, superseded, **kw: (
        # whole states with the loop closed; the fold's own prompt tracking (close_loop=False) is not the handover's
        built.append(when) if kw.get("close_loop", True) else None, real_state(self, when, superseded, **kw))[1])
    h = build_handover(bedside, at=at, app_version="test")
    monkeypatch.undo()
    crs = h.patients[0].crs
    assert (crs.episode_open, crs.episode_started, crs.grade) == (True, tl.at(8), 1)
    assert (crs.episode_max_grade, crs.episode_max_astct, crs.episode_max_ctcae) == (2, 2, 2)
    # the same as from every state of the episode (the way it was built before)
    full = fold_history(patient(), store.records("A100", until=at), protocol, since=tl.at(8))
    in_episode = [s for s in full if tl.at(8) <= s.at <= at]
    assert (crs.episode_max_astct, crs.episode_max_ctcae) == (max(s.crs.computed.astct.grade for s in in_episode),
                                                              max(s.crs.computed.ctcae.grade for s in in_episode))
    # one whole state: the state at the handover; the 24 h and the episode come from the fold's trail (issue 20)
    assert built == [at]
    store.close()


def test_times_are_the_computers_local_time_at_each_moment_across_daylight_saving(tmp_path, protocol):
    """US Central moves from UTC-06:00 to UTC-05:00 on 8 March 2026: a set taken before the change prints in -06:00,
    the handover moment after it in -05:00, as the window shows them (not one fixed offset for the document)."""

    taken = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)       # 06:00 CST
    at = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)          # 10:00 CDT
    tl = Timeline("D1", start=taken)
    tl.add(0, "vitals", **normal())
    store = Store.open(tmp_path / "dst.db")
    store.append([patient(mrn="D1")], [r.record for r in tl.records], recorded_by="test", now=at)
    try:
        bedside = Bedside(store, protocol, FixedClock(at), "nurse.test")
        h = build_handover(bedside, mrns=["D1"], at=at, app_version="9.9")
        html = patient_html(h.patients[0], h.info)
        assert "Latest record here: 07 Mar 06:00." in html
        assert page_frame(h.info, h.patients[0].patient).footer[0] == (
            "Printed at 09 Mar 10:00 with data up to 09 Mar 10:00 (local time, UTC-05:00)")
    finally:
        store.close()


@pytest.mark.parametrize(("hours", "stale"), [(4, False), (4 + 1 / 60, True)])
def test_a_grade_on_no_current_vitals_is_printed_as_such_with_the_last_set(protocol, hours, stale):
    """The PDF alike (issue 14): a grade resting on no temperature or SBP in the look-back window says so."""
    from core.handover import ward_lines

    tl = Timeline()
    tl.add(0, "vitals", **normal())
    h = handover_of(tl, T0 + timedelta(hours=hours), protocol)
    assert (h.crs.stale, h.crs.last_vitals_at) == (stale, T0)
    html = patient_html(h, build_handover_info(protocol))
    assert ("NO CURRENT VITALS</span> (last set 10 Jan 08:00)" in html) is stale
    [line] = ward_lines([h])
    assert line.crs_stale is stale


@pytest.mark.parametrize("new_cycle_minutes, expected, absent", [
    (7200, "5-day", "7-day"),     # a site's 5-day limit
    (10080, "7-day", "5-day"),    # the shipped protocol's
    (10140, "169-hour", "7-day"),  # one hour past seven days is not rounded to "7-day"
])
def test_hold_limits_are_printed_from_the_protocols_values(tmp_path, new_cycle_minutes, expected, absent):
    """A site that sets new_cycle_hold_minutes prints its own limit, never the default typed into a sentence."""
    import re

    from core.paths import resource
    from core.protocol import load_protocol_text

    text = resource("protocols", "default.toml").read_text(encoding="utf-8")
    site = load_protocol_text(re.sub(r"(?m)^new_cycle_hold_minutes = \d+",
                                     f"new_cycle_hold_minutes = {new_cycle_minutes}", text), "site.toml")
    assert site.infusion.new_cycle_hold_minutes == new_cycle_minutes
    at = T0 + timedelta(hours=33)
    store = Store.open(tmp_path / "ward.db")
    held = crs_grade2_held("W2")
    store.append([patient(mrn="W2", name="Ben Watcher", bed="2")], [r.record for r in held.records],
                 recorded_by="test", now=at)
    h = build_handover(Bedside(store, site, FixedClock(at), "nurse.test"), at=at, app_version="test")
    html = patient_html(h.patients[0], h.info)
    store.close()
    assert f"{expected} hold limit: a restart after this starts a new cycle" in html
    assert f"{expected} limit " in html
    assert absent not in html
    assert "14-day hold limit: discontinuation review" in html


def _premedication_site(hold_minutes: int, window_minutes: int):
    """A copy of the shipped protocol with its own premedication hold and window."""
    import re

    from core.paths import resource
    from core.protocol import load_protocol_text

    text = resource("protocols", "default.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^premedication_hold_minutes = \d+", f"premedication_hold_minutes = {hold_minutes}", text)
    text = re.sub(r"(?m)^premedication_window_minutes = \d+", f"premedication_window_minutes = {window_minutes}", text)
    site = load_protocol_text(text, "site.toml")
    assert (site.infusion.premedication_hold_minutes, site.infusion.premedication_window_minutes) == (
        hold_minutes, window_minutes)
    return site


@pytest.mark.parametrize("held_minutes, due", [(299, False), (300, True), (301, True)])
def test_a_sites_premedication_hold_and_window_are_printed_from_its_values(held_minutes, due):
    """Premedication hold 300 min, window 90 min: the handover says "5 h" and "1 h 30 min", never the shipped "4 h"
    or "1 h", and the premedication is due from 300 minutes held (not at 299)."""
    site = _premedication_site(300, 90)
    tl = crs_grade2_held()
    h = handover_of(tl, tl.at(31.6, minutes=held_minutes), site)
    assert h.infusion.premedication_due is due
    restart = next(c for c in h.contingencies if c.condition == "The prescriber orders a restart")
    premed = [a.text for a in h.actions if a.kind == "give_premedication"]
    if due:
        assert premed == ["Premedication before the restart (hold of 5 h or more): dexamethasone per protocol, "
                          "1 h 30 min before (prescriber's order)"]
        assert restart.response.startswith("premedication (dexamethasone 1 h 30 min before) - the hold is over 5 h;")
    else:
        assert premed == []
        assert restart.response.startswith(f"premedication is needed if the restart is at or after "
                                           f"{(tl.at(31.6) + timedelta(minutes=300)).isoformat()} (hold of 5 h);")
    text = " ".join([*premed, restart.response, *(a.text for a in h.actions)])
    assert "4 h" not in text and "1 h before" not in text


def test_a_restart_without_premedication_names_the_sites_hold():
    tl = crs_grade2_held()
    tl.add(36.6, "infusion_resumed", dose_mcg=9, duration_h=24)
    h = handover_of(tl, tl.at(37), _premedication_site(300, 90))
    assert h.infusion.warnings[0].endswith("no premedication recorded before the restart after a hold of 5 h or more")


def test_a_spanish_handover_prints_the_sites_premedication_hold_and_window():
    site = _premedication_site(300, 90)
    tl = crs_grade2_held()
    pat = patient()
    at = tl.at(31.6, minutes=300)
    h = build_patient_handover(fold(pat, tl.records, at, site), fold_history(pat, tl.records, site), tl.records, site,
                               language="es")
    assert [a.text for a in h.actions if a.kind == "give_premedication"] == [
        "Premedicación antes del reinicio (interrupción de 5 h o más): dexametasona según protocolo, 1 h 30 min antes "
        "(según prescripción)"]
    restart = next(c for c in h.contingencies if c.condition == "El prescriptor ordena reiniciar")
    assert restart.response == ("premedicación (dexametasona 1 h 30 min antes): la interrupción supera 5 h; dosis de "
                                "reinicio 9 mcg/día según prescripción; supervisión del reinicio")
    assert [a.text for a in h.actions if a.kind == "hold_limit"] == [
        "Límite de interrupción de 7 días: un reinicio posterior inicia un ciclo nuevo",
        "Límite de interrupción de 14 días: revisar la suspensión"]


@pytest.mark.parametrize("language, grade, flow, recurrent, mismatch", [
    ("en", 2, 6.0, "recurrent CRS of grade >= 2 this course (R-AST-9)",
     "high-flow cannula at <= 6 L/min: confirm device and flow (R-AST-5)"),
    ("es", 3, 5.5, "SLC recurrente de grado >= 3 en este tratamiento (R-AST-9)",
     "alto flujo a <= 5.5 L/min: confirmar dispositivo y flujo (R-AST-5)"),
])
def test_flags_print_the_protocols_thresholds(language, grade, flow, recurrent, mismatch):
    import re

    from core.handover import _flag_text
    from core.paths import resource
    from core.protocol import load_protocol_text

    text = resource("protocols", "default.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^recurrence_min_grade = \d+", f"recurrence_min_grade = {grade}", text)
    text = re.sub(r"(?m)^low_flow_max_l_min = [\d.]+", f"low_flow_max_l_min = {flow}", text)
    site = load_protocol_text(text, "site.toml")
    assert _flag_text("recurrent_crs", site, language) == recurrent
    assert _flag_text("device_flow_mismatch", site, language) == mismatch

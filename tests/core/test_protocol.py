"""The ward protocol (D2, D3): both shipped files load, every validation error names the file, the setting, the
value and the limit, and the label protocol behaves as the US label (interrupt at 3, nothing after a second G2
episode: V37)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import InputError
from core.paths import resource
from core.protocol import (
    SHIPPED_PROTOCOLS,
    Protocol,
    load_protocol,
    load_protocol_text,
    resolve_protocol,
    shipped_protocol,
)
from core.services import grade_assessment
from core.state import fold
from tests.scenario import Timeline, patient

DEFAULT_TEXT = resource("protocols", "default.toml").read_text(encoding="utf-8")
SOURCE = "/site/protocols/ward7.toml"

G2 = {"temperature_c": 38.4, "systolic_bp": 86, "diastolic_bp": 50, "fluid_bolus_given": True}
G3 = {"temperature_c": 38.9, "systolic_bp": 92, "diastolic_bp": 50, "vasopressors": ["norepinephrine"]}


def codes(result: dict) -> list[str]:
    return [rec["code"] for rec in result["recommendations"]]


def test_both_shipped_protocols_load_with_id_and_version():
    assert SHIPPED_PROTOCOLS == ("default", "label")
    default, label = shipped_protocol("default"), shipped_protocol("label")
    assert default.stamp() == {"id": "default", "version": "1"}
    assert label.stamp() == {"id": "label", "version": "1"}


def test_the_label_protocol_differs_from_the_default_only_where_the_label_is_milder():
    default, label = shipped_protocol("default"), shipped_protocol("label")
    assert (default.actions.interrupt_crs_grade, label.actions.interrupt_crs_grade) == (2, 3)
    assert (default.actions.recurrence_review_episodes, label.actions.recurrence_review_episodes) == (2, 0)
    assert label.actions.model_copy(update={"interrupt_crs_grade": 2, "recurrence_review_episodes": 2}) \
        == default.actions
    # RULES.md §3.4: the label asks only for label-mandated premedication (D2 asks at every start and restart)
    assert (default.infusion.premedication_rule, label.infusion.premedication_rule) == ("protocol", "label")
    assert label.infusion.model_copy(update={"premedication_rule": "protocol"}) == default.infusion
    for section in ("grading", "neuro", "labs", "observations"):
        assert getattr(label, section) == getattr(default, section), section


def test_default_protocol_settings_match_rules_md():
    p = shipped_protocol("default")
    g = p.grading
    assert (g.scales, g.fever_c, g.hypotension_sbp_below, g.paediatric_max_age_years) == ("both", 38.0, 90, 10)
    assert (g.low_flow_max_l_min, g.fio2_high_percent, g.fluid_window_hours) == (6.0, 40, 6)
    assert (g.vitals_lookback_hours, g.episode_close_hours) == (4, 24)
    assert (p.actions.interrupt_crs_grade, p.actions.discontinue_crs_grade) == (2, 4)
    assert (p.labs.tocilizumab_crp_days, p.labs.ferritin_hlh_ug_l) == (14, 10000)


@pytest.mark.parametrize("old, new, message", [
    pytest.param("fever_c = 38.0", "fever_c = 50", "grading.fever_c: 50 is outside 37.0–40.0", id="above-range"),
    pytest.param("fever_c = 38.0", "fever_c = 36.9", "grading.fever_c: 36.9 is outside 37.0–40.0", id="below-range"),
    pytest.param("discontinue_crs_grade = 4", "discontinue_crs_grade = 1",
                 "actions.discontinue_crs_grade: 1 is outside 2–5", id="int-range"),
    pytest.param("scales = \"both\"", "scales = \"lee\"",
                 "grading.scales: 'lee' is not one of 'both', 'ctcae_v5' or 'astct_2019'", id="enum"),
    pytest.param("fio2_high_percent = 40", "fio2_high_percent = 0.4",
                 "grading.fio2_high_percent: 0.4 is not a whole number (allowed: 22–100)", id="fraction"),
    pytest.param("fever_c = 38.0", "fever_c = \"hot\"", "grading.fever_c: 'hot' is not a number", id="text"),
    pytest.param("fever_c = 38.0", "fevr_c = 38.0",
                 "grading.fevr_c: unknown field (check the spelling) (and 1 more problem)", id="typo"),
    pytest.param("[labs]", "[lab]", "lab: unknown field (check the spelling) (and 1 more problem)",
                 id="unknown-section"),
    pytest.param("version = \"1\"", "version = 1", "version: 1 is not text (write it in quotes)", id="version-type"),
    pytest.param("ferritin_hlh_ug_l = 10000", "ferritin_hlh_ug_l = 0",
                 "labs.ferritin_hlh_ug_l: 0 is outside the range above 0 and at most 1000000", id="gt-limit"),
    pytest.param("interrupt_crs_grade = 2", "interrupt_crs_grade = 5",
                 "actions.discontinue_crs_grade: 4 is below interrupt_crs_grade 5 (it must be at least "
                 "interrupt_crs_grade)", id="cross-setting-actions"),
    pytest.param("new_cycle_hold_minutes = 10080", "new_cycle_hold_minutes = 30000",
                 "infusion.discontinuation_hold_minutes: 20160 is below new_cycle_hold_minutes 30000 (it must be at "
                 "least new_cycle_hold_minutes)", id="cross-setting-infusion"),
    pytest.param("episode_close_hours = 24", "episode_close_hours = 3",
                 "grading.vitals_lookback_hours: 4 is above episode_close_hours 3 (it must be at most "
                 "episode_close_hours)", id="cross-setting-grading"),
])
def test_every_validation_error_names_file_setting_value_and_limit(old, new, message):
    assert old in DEFAULT_TEXT
    with pytest.raises(InputError) as caught:
        load_protocol_text(DEFAULT_TEXT.replace(old, new, 1), SOURCE)
    assert str(caught.value) == f"{SOURCE}: {message}"


def test_missing_id_is_named():
    with pytest.raises(InputError) as caught:
        load_protocol_text(DEFAULT_TEXT.replace('id = "default"', ""), SOURCE)
    assert str(caught.value) == (f"{SOURCE}: id: missing from the protocol file (every setting must be written out, "
                                 "as in the shipped default.toml)")


def test_invalid_toml_names_the_file_and_the_line():
    with pytest.raises(InputError) as caught:
        load_protocol_text("id = \"x\"\n[grading\n", SOURCE)
    assert str(caught.value).startswith(f"{SOURCE}: not valid TOML (")
    assert "line 2" in str(caught.value)


def test_a_site_file_loads_by_path_and_a_missing_file_is_named(tmp_path: Path):
    site = tmp_path / "ward7.toml"
    site.write_text(DEFAULT_TEXT.replace('id = "default"', 'id = "ward7"').replace("fever_c = 38.0", "fever_c = 38.3"),
                    encoding="utf-8")
    protocol = resolve_protocol(str(site))
    assert (protocol.id, protocol.grading.fever_c) == ("ward7", 38.3)
    assert load_protocol(site) == protocol
    with pytest.raises(InputError, match=r"absent\.toml: cannot read the protocol file"):
        resolve_protocol(str(tmp_path / "absent.toml"))


def test_resolve_protocol_defaults_and_shipped_names():
    assert resolve_protocol(None).id == "default"
    assert resolve_protocol("label").id == "label"
    with pytest.raises(InputError, match="'other' is not a shipped protocol"):
        shipped_protocol("other")


def test_omitted_sections_are_refused_not_filled_from_code():
    """D3: a file with no sections does not silently run on values written in the code."""
    with pytest.raises(InputError) as caught:
        load_protocol_text('id = "min"\nversion = "2"\nname = "Minimal"\n', SOURCE)
    assert str(caught.value).startswith(
        f"{SOURCE}: grading, actions, infusion, neuro, labs, observations, escalation: missing")


def test_the_escalation_section_has_no_default_in_code_and_every_shipped_file_sets_15_minutes():
    import re

    start = DEFAULT_TEXT.index("[escalation]")
    with pytest.raises(InputError) as exc:
        load_protocol_text(DEFAULT_TEXT[:start], SOURCE)
    assert str(exc.value) == (f"{SOURCE}: escalation: missing from the protocol file (every setting must be written "
                              "out, as in the shipped default.toml)")
    with pytest.raises(InputError) as exc:
        load_protocol_text(re.sub(r"(?m)^unacknowledged_minutes = 15.*\n", "", DEFAULT_TEXT), SOURCE)
    assert str(exc.value) == (f"{SOURCE}: escalation.unacknowledged_minutes: missing from the protocol file (every "
                              "setting must be written out, as in the shipped default.toml)")
    for protocol_id in SHIPPED_PROTOCOLS:
        assert shipped_protocol(protocol_id).escalation.unacknowledged_minutes == 15
        assert shipped_protocol(protocol_id).escalation.acknowledgement_holds_hours == 24


@pytest.mark.parametrize("protocol_id, g2_interrupts", [("default", True), ("label", False)])
def test_d2_interrupt_grade_default_2_label_3(protocol_id, g2_interrupts):
    protocol = shipped_protocol(protocol_id)
    g2 = grade_assessment(G2, protocol)
    assert g2["crs_grade"] == 2
    assert ("interrupt_infusion" in codes(g2)) is g2_interrupts
    g3 = grade_assessment(G3, protocol)
    assert g3["crs_grade"] == 3
    assert "interrupt_infusion" in codes(g3)
    assert g3["protocol"] == {"id": protocol_id, "version": "1"}


def _two_g2_episodes() -> Timeline:
    tl = Timeline()
    tl.add(0, "infusion_started", dose_mcg=28, duration_h=24)
    tl.add(2, "vitals", **G2)
    tl.add(4, "vitals", temperature_c=36.9, systolic_bp=118, diastolic_bp=70)
    tl.add(40, "vitals", **G2)     # more than 24 h after the last grade >= 1: a second episode
    tl.add(42, "vitals", temperature_c=36.9, systolic_bp=118, diastolic_bp=70)
    return tl


@pytest.mark.parametrize("protocol_id, review", [
    pytest.param("default", True, id="V37-default-discontinuation-review"),
    pytest.param("label", False, id="V37-label-requires-nothing"),
])
def test_v37_second_g2_episode(protocol_id, review):
    tl = _two_g2_episodes()
    # At 47 h the bolus of 40 h is outside the 6-hour fluid window (D4): grade 0, the episode still open.
    state = fold(patient(), tl.records, tl.at(47), shipped_protocol(protocol_id))
    assert [e.max_grade for e in state.crs.episodes] == [2, 2]
    assert (state.crs.episodes_grade2_plus, state.crs.grade, state.crs.episode_open) == (2, 0, True)
    recs = {r.code: r for r in state.recommendations}
    assert ("discontinuation_review" in recs) is review
    if review:
        assert recs["discontinuation_review"].rule == "R-AST-9"
    # R-AST-7: the infusion never stopped, so the default protocol still prompts to interrupt for this episode;
    # the label protocol requires nothing at grade 2.
    assert ("interrupt_infusion" in recs) is review
    assert "recurrent_crs" in state.flags  # R-AST-9 flag, whatever the protocol asks for


def test_protocol_model_rejects_unknown_top_level_setting():
    with pytest.raises(InputError, match=r"^/site/protocols/ward7.toml: colour: unknown field"):
        load_protocol_text("colour = \"red\"\n" + DEFAULT_TEXT, SOURCE)
    assert isinstance(shipped_protocol(), Protocol)


@pytest.mark.parametrize("name", ["default", "label"])
def test_every_setting_is_written_out_in_the_shipped_file(name):
    # D3: a site reads and edits every threshold in the file; none may hide as a default in the code.
    import tomllib

    from core.paths import resource
    from core.protocol import Protocol

    data = tomllib.loads(resource("protocols", f"{name}.toml").read_text(encoding="utf-8"))
    missing = [f"{section}.{key}" for section, field in Protocol.model_fields.items()
               if section not in ("id", "version", "name") for key in field.annotation.model_fields
               if key not in data.get(section, {})]
    assert missing == []


def test_a_site_file_missing_a_setting_is_refused_naming_it():
    """D3: no threshold hides as a default in the code; a site file that leaves one out is refused at start-up."""
    import re

    text = re.sub(r"(?m)^new_cycle_hold_minutes = 10080.*\n", "", DEFAULT_TEXT)
    assert text != DEFAULT_TEXT
    with pytest.raises(InputError) as caught:
        load_protocol_text(text, SOURCE)
    assert str(caught.value) == (f"{SOURCE}: infusion.new_cycle_hold_minutes: missing from the protocol file (every "
                                 "setting must be written out, as in the shipped default.toml)")


def test_a_site_file_missing_a_section_is_refused_naming_it():
    start = DEFAULT_TEXT.index("[labs]")
    end = DEFAULT_TEXT.index("\n[", start)
    with pytest.raises(InputError, match=r"ward7\.toml: labs: missing from the protocol file"):
        load_protocol_text(DEFAULT_TEXT[:start] + DEFAULT_TEXT[end + 1:], SOURCE)


@pytest.mark.parametrize("blasts, expected", [(49.9, ()), (50.0, ("high_tumor_burden",)),
                                              (50.1, ("high_tumor_burden",))])
def test_high_tumour_burden_at_the_protocol_limit(protocol, blasts, expected):
    from core.state import fold
    from tests.scenario import T0, patient

    state = fold(patient(marrow_blasts_percent=blasts), [], T0, protocol)
    assert state.risk_factors == expected

"""Issue 18: the rules return a sentence key and the values they took from the protocol; the words are made at the
edge, in English and in Spanish, from those values (core/rule_words.py, core/rule_word_tables.py).

Every sentence key is rendered here in both languages under a site protocol whose values differ from the shipped ones
(interrupt at CRS grade 1, discontinue at 3, neuro restart after 2 days, premedication hold 5 h and window 90 min, a
new cycle after 5 days, escalation after 20 min, ...): the site's figures are in both languages. The CRS, NEWS2,
ICANS, episode, lab and escalation sentences come from the rules themselves; the infusion's and the guard's from the
sentence the rule builds with the protocol's values (their scenarios are in tests/core/test_infusion_scenarios.py).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from string import Formatter

import pytest

from core.paths import resource
from core.protocol import load_protocol, shipped_protocol
from core.records import OxygenDevice
from core.regimen import PREMED_MISSING, PREMED_OUTSIDE_WINDOW, LabelPremedication, PremedicationWarning
from core.rule_word_tables import CODE_SENTENCES, DIFFERENTIAL, MANAGEMENT, SENTENCES
from core.rule_words import Sentence, code_text, management_text, premed_reason_text
from core.rules import guidance
from core.rules.codes import RecommendationCode
from core.rules.crs import CrsInput, grade_crs
from core.rules.episodes import Episode, episode_recommendations
from core.rules.escalation import close_the_loop
from core.rules.guidance import crs_recommendations, icans_recommendations, news2_recommendations
from core.rules.infusion import _premedication_timing, premedication_label
from core.rules.labs import Lab, lab_findings
from core.rules.news2 import HIGH, LOW_MEDIUM, MEDIUM, News2

#: The site's values, each different from the shipped default protocol's.
SITE_VALUES = {
    "interrupt_crs_grade": 1, "discontinue_crs_grade": 3, "emergency_crs_grade": 2, "recurrence_review_episodes": 3,
    "recurrence_min_grade": 3, "premedication_hold_minutes": 300, "premedication_window_minutes": 90,
    "new_cycle_hold_minutes": 7200, "discontinuation_hold_minutes": 14400, "boundary_warning_minutes": 30,
    "cycle_infusion_days": 21, "step_up_after_days": 5, "restart_dose_mcg_per_day": 10.0,
    "full_dose_mcg_per_day": 30.0, "weight_fixed_dose_kg": 50.0, "neuro_restart_after_minutes": 2880,
    "neuro_resolution_limit_minutes": 8640, "seizures_discontinue": 3, "interrupt_icans_grade": 2,
    "unacknowledged_minutes": 20, "premedication_dexamethasone_mg_m2": 6.0, "premedication_dexamethasone_max_mg": 24.0,
}


def site_file(tmp_path, values, name="site.toml"):
    """A copy of resources/protocols/default.toml with ``values`` changed."""
    text = resource("protocols", "default.toml").read_text(encoding="utf-8")
    for key, value in values.items():
        text, count = re.subn(rf"(?m)^{key} = [^#\n]*", f"{key} = {value} ", text)
        assert count == 1, key
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_protocol(path)


@pytest.fixture
def site(tmp_path):
    return site_file(tmp_path, SITE_VALUES)


@pytest.fixture
def severe_site(tmp_path):
    """The site, discontinuing at grade 4: grade 3 interrupts, with the label's dexamethasone and restart."""
    return site_file(tmp_path, {**SITE_VALUES, "discontinue_crs_grade": 4}, "severe.toml")


AT = datetime(2026, 1, 12, 8, 0, tzinfo=UTC)


def rule_cases(site):
    """(key, Recommendation) made by the rules under ``site``."""
    out = []
    normal = grade_crs(CrsInput(temperature_c=36.8, systolic_bp=120, age_years=40), site)
    for grade, weight in ((2, 70.0), (3, None), (3, 30.0), (1, 70.0)):
        out += crs_recommendations(normal, site, grade=grade, infusion_running=True, weight_kg=weight,
                                   fio2_device_sets_it=False)
    differ = grade_crs(CrsInput(temperature_c=38.6, systolic_bp=120, age_years=40,
                                oxygen_device=OxygenDevice.NASAL_CANNULA, oxygen_flow_l_min=4.0, fio2_percent=45), site)
    out += crs_recommendations(differ, site, weight_kg=70.0)
    for risk, score in ((HIGH, 8), (MEDIUM, 6), (LOW_MEDIUM, 3)):
        out += news2_recommendations(News2(score, True, risk, risk == LOW_MEDIUM, {}, ()))
    out += icans_recommendations(2, 3, site, infusion_running=True)
    out += icans_recommendations(4, 0, site)
    out += icans_recommendations(3, 0, site, infusion_running=False)
    out += icans_recommendations(1, 0, site)
    episode = Episode(AT - timedelta(hours=6), None, 2, False, max_reached_at=AT - timedelta(hours=5))
    out += episode_recommendations(grade=0, open_episode=episode, episode_max_grade=2, episodes_grade2_plus=3,
                                   running=True, discontinued=False, run_started_at=AT - timedelta(days=2),
                                   protocol=site)
    out += episode_recommendations(grade=1, open_episode=None, episode_max_grade=3, episodes_grade2_plus=0,
                                   running=False, discontinued=False, run_started_at=None, protocol=site)
    labs = [Lab("CRP", 12.0, "mg/L", AT - timedelta(days=1)), Lab("ferritin", 12000, "ug/L", AT - timedelta(hours=2)),
            Lab("fibrinogen", 1.0, "g/L", AT - timedelta(hours=2))]
    out += lab_findings(labs, [AT - timedelta(days=3)], AT, site)[1]
    one = [guidance.Recommendation(guidance.NOTIFY_PRESCRIBER, Sentence.of("crs_notify", grade=2), "D2")]
    two = [*one, guidance.Recommendation(guidance.EMERGENCY_REVIEW, Sentence.of("crs_emergency_review", grade=3),
                                         "D2")]
    minutes = site.escalation.unacknowledged_minutes
    for recs in (one, two):
        since = {r.code: AT - timedelta(minutes=minutes) for r in recs}
        out += [r for r in close_the_loop(recs, since, [], AT, minutes, 24) if r.code == "escalate_unacknowledged"]
    return [(r.words.key, r) for r in out]


def more_rule_cases(site, severe_site):
    out = []
    normal = grade_crs(CrsInput(temperature_c=36.8, systolic_bp=120, age_years=40), severe_site)
    for weight in (None, 70.0, 30.0):
        out += [r for r in crs_recommendations(normal, severe_site, grade=3, infusion_running=True, weight_kg=weight)
                if r.code == "interrupt_infusion"]
    low = grade_crs(CrsInput(temperature_c=36.8, systolic_bp=80, age_years=40), site)
    out += [r for r in crs_recommendations(low, site) if r.code == "consider_other_causes"]
    out += [r for r in crs_recommendations(low, site, grade=1) if r.code == "consider_other_causes"]
    mask = grade_crs(CrsInput(temperature_c=38.6, systolic_bp=120, age_years=40,
                              oxygen_device=OxygenDevice.VENTURI_MASK), site)
    out += [r for r in crs_recommendations(mask, site, fio2_device_sets_it=True) if r.code == "record_fio2"]
    return [(r.words.key, r) for r in out]
def sentence_cases(site):
    """(sentence, why) for the rules of the infusion and the guard, each with the parameters the rule passes from the
    protocol (core/rules/infusion.py, core/rules/guard.py)."""
    i, n, a = site.infusion, site.neuro, site.actions
    label = LabelPremedication("restart_after_hold", True, "dexamethasone", 20.0, False, i.premedication_hold_minutes,
                               i.premedication_window_minutes)
    child = LabelPremedication("first_dose_of_cycle", True, "dexamethasone", None, True, i.premedication_hold_minutes,
                               i.premedication_window_minutes)
    prednisone = LabelPremedication("first_dose_of_cycle", True, "prednisone", 100.0, False,
                                    i.premedication_hold_minutes, i.premedication_window_minutes)
    not_mandated = LabelPremedication("step_up", False, None, None, False, i.premedication_hold_minutes,
                                      i.premedication_window_minutes)
    warning = PremedicationWarning(AT, "restart_after_hold", PREMED_MISSING, i.premedication_hold_minutes)
    late = PremedicationWarning(AT, "step_up", PREMED_OUTSIDE_WINDOW, i.premedication_hold_minutes, 95.0)
    due = Sentence.of("premedication_due", event="restart_after_hold", hold_minutes=i.premedication_hold_minutes,
                      window_minutes=i.premedication_window_minutes,
                      more=(premedication_label(label, site), Sentence.of("supervision_restart")))
    return [
        Sentence.of("icans_course_discontinue", grade=4),
        Sentence.of("icans_restart_dose_discontinue", grade=n.interrupt_icans_grade, dose=i.restart_dose_mcg_per_day),
        Sentence.of("icans_slow_resolution_discontinue", grade=n.interrupt_icans_grade,
                    span_limit=i.neuro_resolution_limit_minutes),
        Sentence.of("icans_restart_eligible", span_restart=i.neuro_restart_after_minutes,
                    dose=i.restart_dose_mcg_per_day),
        Sentence.of("hold_discontinuation_review", days=250 / 24, span_limit=i.discontinuation_hold_minutes),
        Sentence.of("hold_discontinuation_review_adverse", days=250 / 24, span_limit=i.discontinuation_hold_minutes),
        Sentence.of("new_cycle_held", span_new_cycle=i.new_cycle_hold_minutes),
        Sentence.of("new_cycle_restarted", span_new_cycle=i.new_cycle_hold_minutes, cycle=2),
        Sentence.of("new_cycle_boundary", boundary_minutes=i.boundary_warning_minutes,
                    limit_new_cycle=i.new_cycle_hold_minutes, new_cycle_minutes=i.new_cycle_hold_minutes),
        due,
        Sentence.of("premedication_due", event="first_dose_of_cycle", hold_minutes=i.premedication_hold_minutes,
                    window_minutes=i.premedication_window_minutes,
                    more=(premedication_label(child, site), Sentence.of("supervision_cycle_start"))),
        Sentence.of("premedication_due", event="step_up", hold_minutes=i.premedication_hold_minutes,
                    window_minutes=i.premedication_window_minutes, more=(premedication_label(not_mandated, site),)),
        premedication_label(prednisone, site),
        _premedication_timing(warning),
        _premedication_timing(late),
        Sentence.of("recurrence_review"),
        Sentence.of("step_up_due", dose=i.full_dose_mcg_per_day),
        Sentence.of("dose_mismatch", dose=28.0, expected=i.full_dose_mcg_per_day),
        Sentence.of("cycle_infusion_complete", days=i.cycle_infusion_days, cycle=2),
        Sentence.of("bag_change_due", at=(AT + timedelta(hours=48)).isoformat(timespec="minutes")),
        Sentence.of("guard_discontinued"),
        Sentence.of("guard_discontinuation_open"),
        Sentence.of("guard_crs", grade=1, interrupt_grade=a.interrupt_crs_grade),
        Sentence.of("guard_icans", grade=2, interrupt_grade=n.interrupt_icans_grade),
        Sentence.of("guard_premedication", event="restart_after_hold", hold_minutes=i.premedication_hold_minutes),
        Sentence.of("guard_premedication_start"),
    ]


#: (sentence key, English, Spanish) of each prompt the rules make under the site.
RULE_SENTENCES = [
    ('crs_interrupt',
     'CRS grade 2: interrupt the blinatumomab infusion (protocol: interrupt at grade >= 1) and contact the '
     'prescriber.',
     'SLC grado 2: interrumpa la infusión de blinatumomab (protocolo: interrumpir en grado >= 1) y '
     'contacte con el prescriptor.'),
    ('crs_emergency_review',
     'CRS grade 2: emergency medical review now.',
     'SLC grado 2: valoración médica urgente ya.'),
    ('crs_consider_icu',
     'CRS grade 2: consider ICU (seed table).',
     'SLC grado 2: valorar UCI (tabla de gradación).'),
    ('crs_notify',
     'CRS grade 2: notify the prescriber now.',
     'SLC grado 2: avise ya al prescriptor.'),
    ('crs_discontinue',
     'CRS grade 3: label: discontinue blinatumomab permanently (protocol: at grade >= 3). Stop the '
     'infusion and contact the prescriber now. Label: dexamethasone 8 mg (50 kg or more) or 5 mg/m2 (max 8 '
     'mg) (under 50 kg) every 8 h IV/PO for up to 3 days, then taper over 4 days.',
     'SLC grado 3: ficha técnica: suspender blinatumomab definitivamente (protocolo: en grado >= 3). '
     'Detenga la infusión y contacte ya con el prescriptor. Ficha técnica: dexametasona 8 mg (50 kg o más) '
     'o 5 mg/m2 (máx. 8 mg) (menos de 50 kg) cada 8 h IV/VO hasta 3 días; después, descenso progresivo en '
     '4 días.'),
    ('crs_emergency_review',
     'CRS grade 3: emergency medical review now.',
     'SLC grado 3: valoración médica urgente ya.'),
    ('crs_consider_icu',
     'CRS grade 3: consider ICU (seed table).',
     'SLC grado 3: valorar UCI (tabla de gradación).'),
    ('crs_notify',
     'CRS grade 3: notify the prescriber now.',
     'SLC grado 3: avise ya al prescriptor.'),
    ('crs_discontinue',
     'CRS grade 3: label: discontinue blinatumomab permanently (protocol: at grade >= 3). Stop the '
     'infusion and contact the prescriber now. Label: dexamethasone 5 mg/m2 (max 8 mg) every 8 h IV/PO for '
     'up to 3 days, then taper over 4 days.',
     'SLC grado 3: ficha técnica: suspender blinatumomab definitivamente (protocolo: en grado >= 3). '
     'Detenga la infusión y contacte ya con el prescriptor. Ficha técnica: dexametasona 5 mg/m2 (máx. 8 '
     'mg) cada 8 h IV/VO hasta 3 días; después, descenso progresivo en 4 días.'),
    ('crs_interrupt',
     'CRS grade 1: interrupt the blinatumomab infusion (protocol: interrupt at grade >= 1) and contact the '
     'prescriber.',
     'SLC grado 1: interrumpa la infusión de blinatumomab (protocolo: interrumpir en grado >= 1) y '
     'contacte con el prescriptor.'),
    ('crs_fever',
     'CRS grade 1 (fever): increase observations; antipyretics and supportive care; notify per local '
     'policy.',
     'SLC grado 1 (fiebre): aumente la frecuencia de constantes; antitérmicos y medidas de soporte; avise '
     'según la norma local.'),
    ('crs_discontinue_scales_differ',
     'CRS G2 vs G3 - prescriber decides: grade 3 on CTCAE v5 only, and the protocol discontinues '
     'blinatumomab permanently at grade 3. Stop the infusion and contact the prescriber now. Label: '
     'dexamethasone 8 mg every 8 h IV/PO for up to 3 days, then taper over 4 days.',
     'SLC G2 frente a G3; decide el prescriptor: grado 3 solo en CTCAE v5, y el protocolo suspende '
     'blinatumomab definitivamente en grado 3. Detenga la infusión y contacte ya con el prescriptor. Ficha '
     'técnica: dexametasona 8 mg cada 8 h IV/VO hasta 3 días; después, descenso progresivo en 4 días.'),
    ('news2_high_review',
     'NEWS2 8: inform the medical team immediately; emergency assessment by a critical-care-competent '
     'team; consider level 2/3 care.',
     'NEWS2 8: informe de inmediato al equipo médico; valoración de emergencia por un equipo con '
     'competencias en críticos; valorar cuidados de nivel 2/3.'),
    ('news2_high_observe',
     'NEWS2 8 (emergency threshold): continuous monitoring of vital signs.',
     'NEWS2 8 (umbral de emergencia): monitorización continua de las constantes vitales.'),
    ('news2_medium_notify',
     'NEWS2 6: inform the medical team immediately; urgent review by a clinician competent in acute '
     'illness; monitored environment.',
     'NEWS2 6: informe de inmediato al equipo médico; valoración urgente por un clínico con competencias '
     'en el paciente agudo; entorno monitorizado.'),
    ('news2_medium_observe',
     'NEWS2 6 (urgent threshold): observations at least hourly.',
     'NEWS2 6 (umbral urgente): constantes al menos cada hora.'),
    ('news2_red_notify',
     'NEWS2 3 with a red parameter (score 3): inform the medical team, who review and decide on '
     'escalation.',
     'NEWS2 3 con un parámetro rojo (3 puntos): informe al equipo médico, que valora y decide si escalar.'),
    ('news2_red_observe',
     'NEWS2 3 with a red parameter: observations at least hourly.',
     'NEWS2 3 con un parámetro rojo: constantes al menos cada hora.'),
    ('seizure_discontinue',
     'Seizure number 3 in this course: the label discontinues blinatumomab permanently. Contact the '
     'prescriber now.',
     'Convulsión número 3 en este tratamiento: la ficha técnica suspende blinatumomab definitivamente. '
     'Contacte ya con el prescriptor.'),
    ('icans_interrupt',
     'ICANS grade 2: withhold blinatumomab until grade <= 1 for at least 2 days (label); contact the '
     'prescriber.',
     'ICANS grado 2: suspenda temporalmente blinatumomab hasta grado <= 1 durante al menos 2 días (ficha '
     'técnica); contacte con el prescriptor.'),
    ('icans_notify',
     'ICANS grade 2: notify the prescriber; repeat ICE assessment.',
     'ICANS grado 2: avise al prescriptor; repita la valoración ICE.'),
    ('icans_discontinue',
     'ICANS grade 4: the label discontinues blinatumomab permanently. Contact the prescriber now.',
     'ICANS grado 4: la ficha técnica suspende blinatumomab definitivamente. Contacte ya con el '
     'prescriptor.'),
    ('icans_emergency_review',
     'ICANS grade 4: urgent medical review.',
     'ICANS grado 4: valoración médica urgente.'),
    ('icans_emergency_review',
     'ICANS grade 3: urgent medical review.',
     'ICANS grado 3: valoración médica urgente.'),
    ('icans_notify',
     'ICANS grade 1: notify the prescriber; repeat ICE assessment.',
     'ICANS grado 1: avise al prescriptor; repita la valoración ICE.'),
    ('episode_interrupt',
     'This CRS episode reached grade 2: interrupt the blinatumomab infusion (protocol: interrupt at grade '
     '>= 1) and contact the prescriber.',
     'Este episodio de SLC llegó a grado 2: interrumpa la infusión de blinatumomab (protocolo: interrumpir '
     'en grado >= 1) y contacte con el prescriptor.'),
    ('recurrence_discontinuation_review',
     'Recurrent CRS of grade >= 3 (3 episodes this course): discontinuation review with the prescriber.',
     'SLC recurrente de grado >= 3 (3 episodios en este tratamiento): valore la suspensión con el '
     'prescriptor.'),
    ('episode_discontinue',
     'This CRS episode reached grade 3: the protocol discontinues blinatumomab permanently (prescriber '
     'confirms).',
     'Este episodio de SLC llegó a grado 3: el protocolo suspende blinatumomab definitivamente (lo '
     'confirma el prescriptor).'),
    ('crp_unreliable',
     'CRP unreliable after tocilizumab (IL-6 blockade): a falling or normal CRP is not reassurance; screen '
     'for sepsis.',
     'PCR poco fiable tras tocilizumab (bloqueo de IL-6): una PCR que baja o es normal no tranquiliza; '
     'descarte sepsis.'),
    ('possible_hlh',
     'Possible HLH/MAS/IEC-HS: ferritin 12000 ug/L with low fibrinogen - notify the prescriber.',
     'Posible HLH/SAM/IEC-HS: ferritina 12000 ug/L con fibrinógeno bajo; avise al prescriptor.'),
    ('escalate_one',
     'Not acknowledged for 20 min (1 prompt waiting): tell the nurse in charge.',
     'Sin respuesta en 20 min (1 aviso pendiente): avise a la enfermera responsable.'),
    ('escalate_many',
     'Not acknowledged for 20 min (2 prompts waiting): tell the nurse in charge.',
     'Sin respuesta en 20 min (2 avisos pendientes): avise a la enfermera responsable.'),
    ('crs_interrupt_severe',
     'CRS grade 3: interrupt the blinatumomab infusion (protocol: interrupt at grade >= 1) and contact the '
     'prescriber. Label: dexamethasone 8 mg (50 kg or more) or 5 mg/m2 (max 8 mg) (under 50 kg) every 8 h '
     'IV/PO for up to 3 days, then taper over 4 days. When CRS resolves, restart at 10 mcg/day, step up to '
     '30 mcg/day (50 kg or more) or 5 mcg/m2/day, step up to 15 mcg/m2/day (under 50 kg) after 5 days '
     'without recurrence (prescriber to confirm).',
     'SLC grado 3: interrumpa la infusión de blinatumomab (protocolo: interrumpir en grado >= 1) y '
     'contacte con el prescriptor. Ficha técnica: dexametasona 8 mg (50 kg o más) o 5 mg/m2 (máx. 8 mg) '
     '(menos de 50 kg) cada 8 h IV/VO hasta 3 días; después, descenso progresivo en 4 días. Cuando se '
     'resuelva el SLC, reiniciar a 10 mcg/día y escalar a 30 mcg/día (50 kg o más) o a 5 mcg/m2/día y '
     'escalar a 15 mcg/m2/día (menos de 50 kg) tras 5 días sin recurrencia (lo confirma el prescriptor).'),
    ('crs_interrupt_severe',
     'CRS grade 3: interrupt the blinatumomab infusion (protocol: interrupt at grade >= 1) and contact the '
     'prescriber. Label: dexamethasone 8 mg every 8 h IV/PO for up to 3 days, then taper over 4 days. When '
     'CRS resolves, restart at 10 mcg/day, step up to 30 mcg/day after 5 days without recurrence '
     '(prescriber to confirm).',
     'SLC grado 3: interrumpa la infusión de blinatumomab (protocolo: interrumpir en grado >= 1) y '
     'contacte con el prescriptor. Ficha técnica: dexametasona 8 mg cada 8 h IV/VO hasta 3 días; después, '
     'descenso progresivo en 4 días. Cuando se resuelva el SLC, reiniciar a 10 mcg/día y escalar a 30 '
     'mcg/día tras 5 días sin recurrencia (lo confirma el prescriptor).'),
    ('crs_interrupt_severe',
     'CRS grade 3: interrupt the blinatumomab infusion (protocol: interrupt at grade >= 1) and contact the '
     'prescriber. Label: dexamethasone 5 mg/m2 (max 8 mg) every 8 h IV/PO for up to 3 days, then taper '
     'over 4 days. When CRS resolves, restart at 5 mcg/m2/day, step up to 15 mcg/m2/day after 5 days '
     'without recurrence (prescriber to confirm).',
     'SLC grado 3: interrumpa la infusión de blinatumomab (protocolo: interrumpir en grado >= 1) y '
     'contacte con el prescriptor. Ficha técnica: dexametasona 5 mg/m2 (máx. 8 mg) cada 8 h IV/VO hasta 3 '
     'días; después, descenso progresivo en 4 días. Cuando se resuelva el SLC, reiniciar a 5 mcg/m2/día y '
     'escalar a 15 mcg/m2/día tras 5 días sin recurrencia (lo confirma el prescriptor).'),
    ('other_causes_not_graded',
     'Hypotension/hypoxia without fever: consider other causes (sepsis, bleeding, cardiac, pulmonary '
     'embolism) - not graded as CRS.',
     'Hipotensión/hipoxia sin fiebre: valore otras causas (sepsis, hemorragia, causa cardiaca, embolia '
     'pulmonar); no se gradúa como SLC.'),
    ('other_causes_graded',
     'Hypotension/hypoxia without fever: ASTCT needs fever (no treatment for CRS yet in this episode); '
     'consider other causes (sepsis, bleeding, cardiac, pulmonary embolism) as well.',
     'Hipotensión/hipoxia sin fiebre: ASTCT exige fiebre (aún sin tratamiento del SLC en este episodio); '
     'valore también otras causas (sepsis, hemorragia, causa cardiaca, embolia pulmonar).'),
    ('record_fio2',
     'Record the FiO2 set on the oxygen device: CTCAE can only say grade >= 2 without it.',
     'Registre la FiO2 fijada en el dispositivo de oxígeno: sin ella, CTCAE solo puede decir grado >= 2.'),
]


def test_each_rule_sentence_under_the_site_in_english_and_spanish(site, severe_site):
    made = [(key, rec.words.text("en"), rec.words.text("es"))
            for key, rec in rule_cases(site) + more_rule_cases(site, severe_site)]
    assert sorted(set(made)) == sorted(RULE_SENTENCES)
    for _key, rec in rule_cases(site):
        assert rec.text == rec.words.text("en")                     # the CLI's JSON "text" is the English sentence
        assert rec.to_json() == {"code": rec.code.value, "text": rec.text, "rule": rec.rule}
        assert isinstance(rec.code, RecommendationCode)


#: (sentence key, English, Spanish) of the infusion's and the guard's sentences under the site.
INFUSION_SENTENCES = [
    ('icans_course_discontinue',
     'ICANS reached grade 4 in this course: the label discontinues blinatumomab permanently (prescriber '
     'confirms).',
     'El ICANS llegó a grado 4 en este tratamiento: la ficha técnica suspende blinatumomab definitivamente '
     '(lo confirma el prescriptor).'),
    ('icans_restart_dose_discontinue',
     'ICANS grade >= 2 began at 10 mcg/day (the restart dose): the label discontinues blinatumomab '
     'permanently.',
     'El ICANS de grado >= 2 empezó a 10 mcg/día (la dosis de reinicio): la ficha técnica suspende '
     'blinatumomab definitivamente.'),
    ('icans_slow_resolution_discontinue',
     'ICANS grade >= 2 took more than 6 days to resolve to grade <= 1: the label discontinues blinatumomab '
     'permanently.',
     'El ICANS de grado >= 2 tardó más de 6 días en bajar a grado <= 1: la ficha técnica suspende '
     'blinatumomab definitivamente.'),
    ('icans_restart_eligible',
     'ICANS grade <= 1 for 2 days: restart eligible at 10 mcg/day (prescriber decides).',
     'ICANS de grado <= 1 durante 2 días: puede reiniciarse a 10 mcg/día (decide el prescriptor).'),
    ('hold_discontinuation_review',
     'Infusion held for 10.4 days (more than 10 days): discontinuation review with the prescriber.',
     'Infusión interrumpida desde hace 10.4 días (más de 10 días): valore la suspensión con el '
     'prescriptor.'),
    ('hold_discontinuation_review_adverse',
     'Infusion held for 10.4 days (more than 10 days): discontinuation review with the prescriber. Label '
     '(R-MOD-5): if the adverse reaction took more than 10 days to resolve to grade <= 1, discontinue '
     'permanently.',
     'Infusión interrumpida desde hace 10.4 días (más de 10 días): valore la suspensión con el '
     'prescriptor. Ficha técnica (R-MOD-5): si la reacción adversa tardó más de 10 días en bajar a grado '
     '<= 1, suspender definitivamente.'),
    ('new_cycle_held',
     'Infusion held for more than 5 days: a restart starts a new cycle - prescriber to confirm new-cycle '
     'dosing.',
     'Infusión interrumpida más de 5 días: reiniciar supone un ciclo nuevo; el prescriptor confirma la '
     'dosis del nuevo ciclo.'),
    ('new_cycle_restarted',
     'Restarted after a hold of more than 5 days: this is cycle 2 - prescriber to confirm new-cycle '
     'dosing.',
     'Reiniciada tras una interrupción de más de 5 días: es el ciclo 2; el prescriptor confirma la dosis '
     'del nuevo ciclo.'),
    ('new_cycle_boundary',
     'The hold is within 30 min of the 5-day limit (7200 min = same cycle, one minute more = new cycle): '
     'check the stop and restart times.',
     'La interrupción está a 30 min o menos del límite de 5 días (7200 min = mismo ciclo, un minuto más = '
     'ciclo nuevo): compruebe las horas de parada y de reinicio.'),
    ('premedication_due',
     'Premedication due before the restart after a hold of 5 h or more (protocol: corticosteroid within 90 '
     'min before). Label: dexamethasone 20 mg IV 1 h 30 min before the restart after a hold of 5 h or '
     'more. Supervision/hospitalisation recommended for re-initiation.',
     'Premedicación pendiente antes del reinicio tras una interrupción de 5 h o más (protocolo: corticoide '
     'en los 90 min previos). Ficha técnica: dexametasona 20 mg IV 1 h 30 min antes del reinicio tras una '
     'interrupción de 5 h o más. Se recomienda supervisión/ingreso para el reinicio.'),
    ('premedication_due',
     'Premedication due before the first dose of the cycle (protocol: corticosteroid within 90 min '
     'before). Label: dexamethasone 6 mg/m2 (max 24 mg; BSA needed) IV 1 h 30 min before the first dose of '
     'the cycle. Supervision/hospitalisation recommended for the cycle start.',
     'Premedicación pendiente antes de la primera dosis del ciclo (protocolo: corticoide en los 90 min '
     'previos). Ficha técnica: dexametasona 6 mg/m2 (máx. 24 mg; se necesita la SC) IV 1 h 30 min antes de '
     'la primera dosis del ciclo. Se recomienda supervisión/ingreso para el inicio del ciclo.'),
    ('premedication_due',
     'Premedication due before the dose step-up (protocol: corticosteroid within 90 min before). Not '
     'label-mandated for this indication/cycle; follow local protocol.',
     'Premedicación pendiente antes de la escalada de dosis (protocolo: corticoide en los 90 min previos). '
     'La ficha técnica no la exige para esta indicación/ciclo; siga el protocolo local.'),
    ('premedication_label',
     'Label: prednisone 100 mg IV 1 h 30 min before the first dose of the cycle.',
     'Ficha técnica: prednisona 100 mg IV 1 h 30 min antes de la primera dosis del ciclo.'),
    ('premedication_missing',
     '2026-01-12T08:00:00+00:00: no premedication recorded before the restart after a hold of 5 h or more.',
     '2026-01-12T08:00:00+00:00: no consta premedicación antes del reinicio tras una interrupción de 5 h o '
     'más.'),
    ('premedication_outside_window',
     '2026-01-12T08:00:00+00:00: premedication 95 min before the dose step-up (outside the premedication '
     'window).',
     '2026-01-12T08:00:00+00:00: premedicación 95 min antes de la escalada de dosis (fuera de la ventana '
     'de premedicación).'),
    ('recurrence_review',
     'Recurrence since the restart: step-up suppressed - prescriber review.',
     'Recurrencia desde el reinicio: escalada de dosis suspendida; revisión por el prescriptor.'),
    ('step_up_due',
     'Step-up to 30 mcg/day due (prescriber to confirm) with premedication.',
     'Corresponde la escalada a 30 mcg/día (la confirma el prescriptor), con premedicación.'),
    ('dose_mismatch',
     'Running dose 28 mcg/day differs from the expected 30 mcg/day: check the bag against the '
     'prescription.',
     'La dosis en curso, 28 mcg/día, no coincide con la esperada, 30 mcg/día: compruebe la bolsa con la '
     'prescripción.'),
    ('cycle_infusion_complete',
     "21 days of infusion reached in cycle 2: end of the cycle's infusion (prescriber confirms).",
     '21 días de infusión alcanzados en el ciclo 2: fin de la infusión del ciclo (lo confirma el '
     'prescriptor).'),
    ('bag_change_due',
     'Bag change due at 2026-01-14T08:00+00:00 (hang time + labelled duration). Never flush the line.',
     'Cambio de bolsa previsto: 2026-01-14T08:00+00:00 (hora de colocación + duración etiquetada). No '
     'lave nunca la vía.'),
    ('guard_discontinued',
     'Blinatumomab was discontinued for this patient.',
     'Blinatumomab se suspendió para este paciente.'),
    ('guard_discontinuation_open',
     'A permanent discontinuation is recommended and not yet decided.',
     'Se recomienda la suspensión definitiva y aún no se ha decidido.'),
    ('guard_crs',
     'CRS grade 1: the protocol interrupts the infusion at grade >= 1.',
     'SLC grado 1: el protocolo interrumpe la infusión en grado >= 1.'),
    ('guard_icans',
     'ICANS grade 2: the label withholds the infusion at grade >= 2.',
     'ICANS grado 2: la ficha técnica suspende temporalmente la infusión en grado >= 2.'),
    ('guard_premedication',
     'Premedication is due before the restart after a hold of 5 h or more: record it first.',
     'Corresponde premedicación antes del reinicio tras una interrupción de 5 h o más: regístrela primero.'),
    ('guard_premedication_start',
     'Premedication is due before this start: record it first.',
     'Corresponde premedicación antes de este inicio: regístrela primero.'),
]


def test_each_infusion_and_guard_sentence_under_the_site_in_english_and_spanish(site):
    assert [(s.key, s.text("en"), s.text("es")) for s in sentence_cases(site)] == INFUSION_SENTENCES


def _placeholders(template: str) -> list[str]:
    return sorted({name for _, name, _, _ in Formatter().parse(template) if name})


def _keys(sentence: Sentence) -> set[str]:
    """The key of a sentence and of the sentences inside it."""
    keys = {sentence.key}
    for _, value in sentence.params:
        for inner in (value if isinstance(value, tuple) else (value,)):
            if isinstance(inner, Sentence):
                keys |= _keys(inner)
    return keys


def test_every_sentence_is_in_both_languages_with_the_same_placeholders_and_is_tested_here(site, severe_site):
    for table in (SENTENCES, CODE_SENTENCES, DIFFERENTIAL):
        assert set(table["es"]) == set(table["en"])
        assert {k: _placeholders(v) for k, v in table["es"].items()} == \
            {k: _placeholders(v) for k, v in table["en"].items()}
    assert set(MANAGEMENT["es"]) == set(MANAGEMENT["en"]) == {0, 1, 2, 3, 4, 5}
    assert set(CODE_SENTENCES["en"]) == {code.value for code in RecommendationCode}
    tested = set()
    for _, rec in rule_cases(site) + more_rule_cases(site, severe_site):
        tested |= _keys(rec.words)
    for sentence in sentence_cases(site):
        tested |= _keys(sentence)
    assert tested == set(SENTENCES["en"])                       # each sentence key, under the site, in both languages


def test_a_sentence_key_core_does_not_have_is_refused():
    with pytest.raises(KeyError, match="no sentence 'crs_notfy'"):
        Sentence.of("crs_notfy", grade=2)


@pytest.mark.parametrize(("language", "premedication", "notify"), [
    ("en", "Premedication due: dexamethasone per protocol, 1 h 30 min before (prescriber's order).",
     "Notify the prescriber now."),
    ("es", "Premedicación pendiente: dexametasona según protocolo, 1 h 30 min antes (según prescripción).",
     "Avise ya al prescriptor."),
])
def test_the_short_sentence_of_a_code_carries_the_sites_window(site, language, premedication, notify):
    assert code_text("give_premedication", site, language) == premedication
    assert code_text(RecommendationCode.NOTIFY_PRESCRIBER, site, language) == notify
    assert code_text("a_code_added_later", site, language) == "a_code_added_later"


@pytest.mark.parametrize(("language", "reason", "management"), [
    ("en", "before the restart (hold of 5 h or more)",
     "IV fluid bolus to keep SBP >= 90 mmHg; oxygen to keep SpO2 > 90 %; consider steroids for high-risk patients "
     "(advanced age, cardiorespiratory disease)."),
    ("es", "antes del reinicio (interrupción de 5 h o más)",
     "Bolo de líquidos IV para mantener PAS >= 90 mmHg; oxígeno para mantener SpO2 > 90 %; valorar corticoides en "
     "pacientes de alto riesgo (edad avanzada, enfermedad cardiorrespiratoria)."),
])
def test_the_premedication_reason_carries_the_sites_hold_and_the_management_is_in_both_languages(
        site, language, reason, management):
    assert premed_reason_text("restart_after_hold", site, language) == reason
    assert premed_reason_text(None, site, language) == ""
    assert management_text(2, language, sbp_limit=90) == management
    assert management_text(2, language, sbp_limit=80).count(">= 80 mmHg") == 1   # a child of 5: 70 + 2 x 5
    assert management_text(9, language, sbp_limit=90) == ""


def test_the_differential_is_in_both_languages_and_english_stays_the_grade_commands():
    assert DIFFERENTIAL["en"] == guidance.DIFFERENTIAL_TEXT
    assert DIFFERENTIAL["es"]["sepsis"] == "sepsis o neutropenia febril"
    assert sorted(MANAGEMENT["en"]) == sorted(MANAGEMENT["es"]) == [0, 1, 2, 3, 4, 5]


@pytest.mark.parametrize(("age", "target"), [(40, 90), (10, 90), (5, 80), (1, 72)])
def test_the_grade_commands_management_keeps_the_patients_own_blood_pressure_limit(age, target):
    # D4 / R-AST-3: the seed table's "keep SBP >= 90" is the adult limit of the protocol; a child's is 70 + 2 x age.
    from core.grading import grade_assessment

    result = grade_assessment({"temperature_c": 38.4, "systolic_bp": 60, "diastolic_bp": 40, "fluid_bolus_given": True,
                               "age_years": age}, shipped_protocol("default"))
    assert result["crs_grade"] == 2
    assert result["management"].startswith(f"IV fluid bolus to keep SBP >= {target} mmHg; oxygen to keep SpO2 > 90 %")


def test_spanish_contracts_de_el_and_a_el_and_english_is_left_as_it_is():
    sentence = Sentence.of("guard_premedication", event="restart_after_hold", hold_minutes=300)
    assert sentence.text("es") == "Corresponde premedicación antes del reinicio tras una interrupción de 5 h o más: " \
                                  "regístrela primero."
    assert sentence.text("en") == "Premedication is due before the restart after a hold of 5 h or more: record it " \
                                  "first."


def test_the_handovers_premedication_warning_contracts_too(site):
    from core.handover.patient import _warning_text

    warning = PremedicationWarning(AT, "restart_after_hold", PREMED_MISSING, site.infusion.premedication_hold_minutes)
    assert _warning_text(warning, "es") == \
        "2026-01-12T08:00:00+00:00: no consta premedicación antes del reinicio tras una interrupción de 5 h o más"
    assert _warning_text(warning, "en") == \
        "2026-01-12T08:00:00+00:00: no premedication recorded before the restart after a hold of 5 h or more"

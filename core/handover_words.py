"""The printed handover's words in each language, keyed by code (one place; core cannot use Qt's tr). The GUI passes
the window's language and temperature unit, the command line takes ``--language en|es --unit c|f`` (INTERFACE.md
Additions). Numbers and limits inside the words come from the protocol where the handover builds them."""

from __future__ import annotations

from datetime import date, datetime

from core.units import celsius_to_fahrenheit

LANGUAGES = ("en", "es")
UNITS = ("C", "F")

_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
}
_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "es": ("lun", "mar", "mié", "jue", "vie", "sáb", "dom"),
}

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "stable": "Stable", "watcher": "Watcher", "unstable": "Unstable",
        "h_severity": "I · Illness severity", "h_summary": "P · Patient summary (situation and background)",
        "h_assessment": "A · Current assessment", "h_infusion": "Infusion, holds and interruptions",
        "h_actions": "A · Action list", "h_contingencies": "S · Situation awareness and contingencies",
        "h_synthesis": "S · Synthesis by receiver",
        "selected_by_nurse": "Selected by the nurse; the app suggested", "suggested": "Suggested by the app",
        "no_trigger": "no trigger met",
        "patient": "Patient", "dob_sex": "DOB / sex", "diagnosis": "Diagnosis", "indication": "Indication",
        "weight_bsa": "Weight / BSA", "risk_factors": "Risk factors", "crs_now": "CRS now", "icans": "ICANS",
        "news2": "NEWS2", "last_vitals": "Last full vitals", "circulation": "O2 / pressors / fluids", "labs": "Labs",
        "flags": "Flags", "drug": "Blinatumomab", "bag": "Bag", "this_cycle": "This cycle",
        "holds_this_cycle": "Holds this cycle", "hold_clocks": "Hold clocks", "premedication": "Premedication",
        "step_up": "Step-up", "when": "When", "action": "Action (prompts; the prescriber decides)", "rule": "Rule",
        "if": "If", "then": "Then", "receiver": "Receiving nurse (name):", "time": "Time:",
        "read_back": "☐ Read-back done · signature:",
        "ward_handover": "Ward handover", "data_up_to": "data up to",
        "ward_count": "{n} {patients}, most acute first. Each patient's own section follows, in bed order.",
        "patient_one": "patient", "patient_many": "patients",
        "bed": "Bed", "patient_mrn": "Patient · MRN", "severity": "Severity", "crs_max": "CRS (max)",
        "infusion": "Infusion", "holds": "Holds", "next_obs": "Next obs", "prompts_now": "Prompts now",
        "no_patients": "No patients on the ward.",
        "ward_note": "Severity: nurse-selected or the app's suggestion (R-SEV-1). CRS: grade now (episode maximum). "
                     "NEWS2 \"—\": the latest set is incomplete. Prompts now: \"(answered)\" when an escalation "
                     "answered it; the others are pending. Each patient's section gives the reasons, the round of the "
                     "last 24 h, the action list with times and the if/then contingencies.",
        "h_round": "The round (24 h)", "nothing_recorded": "nothing recorded",
        "round_what": "What was done (CRS medicines, vasopressors, symptoms, notes, escalations, observations not "
                      "done)",
        "pending": "PENDING (not answered)", "answered": "Answered",
        "stale": "NO CURRENT VITALS", "last_set": "last set",
        "overdue": "OVERDUE", "due": "DUE", "now": "now", "in": "in {d}", "ago": "{d} ago", "held": "held",
        "mcg_day": "mcg/day", "demo": "demo",
        "printed": "Printed at {printed} with data up to {upto} (local time, {offset})",
        "ward_title": "Ward handover — {n} {patients}", "ward_ident": "Ward summary, most acute first",
        "not_started": "not started", "running": "running", "held_state": "HELD", "between_cycles": "between cycles",
        "discontinued": "discontinued", "completed": "course completed",
    },
    "es": {
        "stable": "Estable", "watcher": "Vigilar", "unstable": "Inestable",
        "h_severity": "I · Gravedad de la enfermedad",
        "h_summary": "P · Resumen del paciente (situación y antecedentes)",
        "h_assessment": "A · Valoración actual", "h_infusion": "Infusión, interrupciones y pausas",
        "h_actions": "A · Lista de acciones", "h_contingencies": "S · Conciencia de la situación y contingencias",
        "h_synthesis": "S · Síntesis por quien recibe",
        "selected_by_nurse": "Elegida por enfermería; la aplicación sugirió", "suggested": "Sugerida por la aplicación",
        "no_trigger": "ningún criterio cumplido",
        "patient": "Paciente", "dob_sex": "Nacimiento / sexo", "diagnosis": "Diagnóstico", "indication": "Indicación",
        "weight_bsa": "Peso / SC", "risk_factors": "Factores de riesgo", "crs_now": "SLC ahora", "icans": "ICANS",
        "news2": "NEWS2", "last_vitals": "Últimas constantes completas", "circulation": "O2 / vasopresores / líquidos",
        "labs": "Analítica", "flags": "Avisos", "drug": "Blinatumomab", "bag": "Bolsa", "this_cycle": "Este ciclo",
        "holds_this_cycle": "Interrupciones en el ciclo", "hold_clocks": "Plazos de la interrupción",
        "premedication": "Premedicación", "step_up": "Escalada de dosis", "when": "Cuándo",
        "action": "Acción (avisos; decide quien prescribe)", "rule": "Regla", "if": "Si", "then": "Entonces",
        "receiver": "Enfermera/o que recibe (nombre):", "time": "Hora:", "read_back": "☐ Repetido en voz alta · firma:",
        "ward_handover": "Relevo de la planta", "data_up_to": "datos hasta",
        "ward_count": "{n} {patients}, los más graves primero. Sigue la sección de cada paciente, en orden de cama.",
        "patient_one": "paciente", "patient_many": "pacientes",
        "bed": "Cama", "patient_mrn": "Paciente · NHC", "severity": "Gravedad", "crs_max": "SLC (máx.)",
        "infusion": "Infusión", "holds": "Interr.", "next_obs": "Próximos controles", "prompts_now": "Avisos ahora",
        "no_patients": "No hay pacientes en la planta.",
        "ward_note": "Gravedad: elegida por enfermería o sugerida por la aplicación (R-SEV-1). SLC: grado actual "
                     "(máximo del episodio). NEWS2 \"—\": la última toma está incompleta. Avisos ahora: "
                     "\"(respondido)\" cuando una escalada lo respondió; los demás están pendientes. La sección de "
                     "cada paciente da los motivos, la ronda de las últimas 24 h, la lista de acciones con horas y las "
                     "contingencias si/entonces.",
        "h_round": "La ronda (24 h)", "nothing_recorded": "nada registrado",
        "round_what": "Lo hecho (medicación para el SLC, vasopresores, síntomas, notas, escaladas, controles no "
                      "realizados)",
        "pending": "PENDIENTE (sin respuesta)", "answered": "Respondido",
        "stale": "SIN CONSTANTES ACTUALES", "last_set": "última toma",
        "overdue": "ATRASADO", "due": "PENDIENTE", "now": "ahora", "in": "dentro de {d}", "ago": "hace {d}",
        "held": "interrumpida", "mcg_day": "mcg/día", "demo": "demo",
        "printed": "Impreso el {printed} con datos hasta {upto} (hora local, {offset})",
        "ward_title": "Relevo de la planta — {n} {patients}", "ward_ident": "Resumen de la planta, los más graves "
                                                                            "primero",
        "not_started": "no iniciada", "running": "en curso", "held_state": "INTERRUMPIDA",
        "between_cycles": "entre ciclos", "discontinued": "suspendida", "completed": "tratamiento completado",
    },
}


def words(language: str) -> dict[str, str]:
    """The catalogue of ``language`` (``en`` or ``es``)."""
    return WORDS[language]


def patients(language: str, n: int) -> str:
    """``patient`` or ``patients`` for ``n`` in ``language``."""
    return WORDS[language]["patient_one" if n == 1 else "patient_many"]


def month(language: str, number: int) -> str:
    """The short month name (1 = January) in ``language``."""
    return _MONTHS[language][number - 1]


def weekday(language: str, number: int) -> str:
    """The short weekday name (0 = Monday) in ``language``."""
    return _WEEKDAYS[language][number]


def date_time_text(language: str, value: datetime) -> str:
    """``11 Jan 08:00`` / ``11 ene 08:00`` (the value as given; the caller puts it in local time)."""
    return f"{value.day:02d} {month(language, value.month)} {value:%H:%M}"


def date_text(language: str, value: date) -> str:
    """``02 Mar 1981`` / ``02 mar 1981``."""
    return f"{value.day:02d} {month(language, value.month)} {value.year}"


def temperature_text(celsius: float | None, unit: str) -> str:
    """A stored °C value in the unit of the handover: ``38.4 °C`` or ``101.1 °F``; ``—`` when absent."""
    if celsius is None:
        return "—"
    if unit == "F":
        return f"{celsius_to_fahrenheit(celsius):.1f} °F"
    return f"{celsius:.1f} °C"


_DAY = {"en": ("day", "days"), "es": ("día", "días")}
_LIMIT = {"en": ("{n}-day", "{n}-hour", "{n}-minute"), "es": ("de {n} días", "de {n} h", "de {n} min")}


def span_text(minutes: int, language: str = "en") -> str:
    """A protocol duration in words, from the protocol's value: whole days, else whole hours, else hours and minutes
    (``5 days`` / ``5 días``, ``4 h``, ``1 h 30 min``)."""
    if minutes % 1440 == 0:
        days = minutes // 1440
        return f"{days} {_DAY[language][0 if days == 1 else 1]}"
    if minutes % 60 == 0:
        return f"{minutes // 60} h"
    return duration_text(minutes / 60)


def limit_text(minutes: int, language: str = "en") -> str:
    """A hold limit as an adjective, from the protocol's value: ``7-day`` (a ``7-day limit``), ``de 7 días`` (a
    ``límite de 7 días``); N-hour or N-minute when the value is not whole days."""
    day, hour, minute = _LIMIT[language]
    if minutes % 1440 == 0:
        return day.format(n=minutes // 1440)
    if minutes % 60 == 0:
        return hour.format(n=minutes // 60)
    return minute.format(n=minutes)


def duration_text(hours: float | None) -> str:
    """Hours as "2 d 4 h", "3 h 20 min" or "45 min" (the same in both languages)."""
    if hours is None:
        return "—"
    minutes = round(hours * 60)
    days, rest = divmod(minutes, 1440)
    h, m = divmod(rest, 60)
    if days:
        return f"{days} d {h} h"
    if h:
        return f"{h} h {m:02d} min" if m else f"{h} h"
    return f"{m} min"


#: The printed names of the codes and enumeration values, by table and language; :func:`name` falls back to the code.
NAMES: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "flag": {
            "hypotension_hypoxia_without_fever": "hypotension/hypoxia without fever: consider other causes (R-AST-6)",
            "device_flow_mismatch": "high-flow cannula at <= {flow} L/min: confirm device and flow (R-AST-5)",
            "angiotensin_ii_confirm": "angiotensin II counted as a vasopressor: confirm (R-AST-4)",
            "fio2_not_recorded": "FiO2 not recorded: CTCAE can only say grade >= 2 (D5)",
            "fever_waived": "fever waived: CRS treated in this episode (R-AST-2)",
            "fever_other_cause": "fever attributed to another cause by a clinician (R-AST-1)",
            "crp_unreliable": "CRP unreliable after tocilizumab (R-LAB-1)",
            "possible_hlh": "possible HLH/MAS/IEC-HS (R-LAB-2)",
            "recurrent_crs": "recurrent CRS of grade >= {grade} this course (R-AST-9)",
        },
        "code_short": {
            "discontinue_permanently": "discontinue permanently?", "emergency_review": "emergency review",
            "consider_icu": "consider ICU", "interrupt_infusion": "interrupt infusion",
            "notify_prescriber": "notify prescriber", "discontinuation_review": "discontinuation review",
            "new_cycle_required": "new cycle: confirm dosing", "recurrence_prescriber_review": "recurrence review",
            "give_premedication": "premedication due", "premedication_timing": "premedication timing",
            "step_up_due": "step-up due", "possible_hlh": "possible HLH: notify",
            "consider_other_causes": "consider other causes", "record_fio2": "record FiO2",
            "crp_unreliable": "CRP unreliable", "bag_change_due": "bag change",
            "increase_observations": "increase observations", "escalate_unacknowledged": "NOT ACKNOWLEDGED",
            "new_cycle_boundary": "new-cycle limit close", "dose_mismatch": "dose mismatch",
            "cycle_infusion_complete": "cycle's infusion complete", "restart_eligible": "restart eligible",
        },
        "escalated_to": {"prescriber": "prescriber", "nurse_in_charge": "nurse in charge",
                         "outreach": "outreach team", "icu": "ICU", "other": "other"},
        "response": {"attending": "attending", "advice_given": "advice given", "no_response": "NO RESPONSE",
                     "declined": "declined"},
        "not_done": {"refused": "patient refused", "off_ward": "off the ward", "asleep": "asleep",
                     "unable": "unable", "other": "other"},
        "device": {"room_air": "room air", "blow_by": "blow-by", "nasal_cannula": "nasal cannula",
                   "high_flow_nasal_cannula": "high-flow nasal cannula", "simple_mask": "simple mask",
                   "venturi_mask": "Venturi mask", "non_rebreather": "non-rebreather", "cpap": "CPAP",
                   "bipap": "BiPAP", "invasive_ventilation": "invasive ventilation"},
        "acvpu": {"alert": "A", "new_confusion": "C (new confusion)", "voice": "V", "pain": "P",
                  "unresponsive": "U"},
        "indication": {"relapsed_refractory": "relapsed/refractory (R/R)", "mrd_positive": "MRD-positive (MRD+)",
                       "consolidation": "consolidation"},
        "purpose": {"premedication": "premedication", "crs_treatment": "for CRS", "other": ""},
        "direction": {"rising": "rising", "falling": "falling", "steady": "steady"},
        "stop_reason": {"crs": "crs", "neurotoxicity": "neurotoxicity", "other_adverse_event": "other adverse event",
                        "technical": "technical", "cycle_complete": "cycle complete"},
        "premed_reason": {"first_dose_of_cycle": "before the first dose of the cycle",
                          "restart_after_hold": "before the restart (hold of {hold} or more)",
                          "step_up": "before the dose step-up"},
        "premed_event": {"first_dose_of_cycle": "the first dose of the cycle",
                         "restart_after_hold": "the restart after a hold of {hold} or more",
                         "step_up": "the dose step-up"},
    },
    "es": {
        "flag": {
            "hypotension_hypoxia_without_fever": "hipotensión/hipoxia sin fiebre: valorar otras causas (R-AST-6)",
            "device_flow_mismatch": "alto flujo a <= {flow} L/min: confirmar dispositivo y flujo (R-AST-5)",
            "angiotensin_ii_confirm": "angiotensina II contada como vasopresor: confirmar (R-AST-4)",
            "fio2_not_recorded": "FiO2 no registrada: CTCAE solo puede decir grado >= 2 (D5)",
            "fever_waived": "fiebre no exigida: SLC tratado en este episodio (R-AST-2)",
            "fever_other_cause": "fiebre atribuida a otra causa por un clínico (R-AST-1)",
            "crp_unreliable": "PCR no fiable tras tocilizumab (R-LAB-1)",
            "possible_hlh": "posible HLH/SAM/IEC-HS (R-LAB-2)",
            "recurrent_crs": "SLC recurrente de grado >= {grade} en este tratamiento (R-AST-9)",
        },
        "code_short": {
            "discontinue_permanently": "¿suspender definitivamente?", "emergency_review": "valoración urgente",
            "consider_icu": "valorar UCI", "interrupt_infusion": "interrumpir la infusión",
            "notify_prescriber": "avisar a quien prescribe", "discontinuation_review": "revisar la suspensión",
            "new_cycle_required": "ciclo nuevo: confirmar dosis", "recurrence_prescriber_review": "revisar recurrencia",
            "give_premedication": "premedicación pendiente", "premedication_timing": "horario de la premedicación",
            "step_up_due": "escalada de dosis", "possible_hlh": "posible HLH: avisar",
            "consider_other_causes": "valorar otras causas", "record_fio2": "registrar FiO2",
            "crp_unreliable": "PCR no fiable", "bag_change_due": "cambio de bolsa",
            "increase_observations": "aumentar controles", "escalate_unacknowledged": "SIN RESPUESTA",
            "new_cycle_boundary": "cerca del límite de ciclo nuevo", "dose_mismatch": "dosis distinta",
            "cycle_infusion_complete": "infusión del ciclo completa", "restart_eligible": "puede reiniciarse",
        },
        "escalated_to": {"prescriber": "quien prescribe", "nurse_in_charge": "enfermera/o responsable",
                         "outreach": "equipo de respuesta rápida", "icu": "UCI", "other": "otro"},
        "response": {"attending": "acude", "advice_given": "da indicaciones", "no_response": "SIN RESPUESTA",
                     "declined": "lo rechaza"},
        "not_done": {"refused": "el paciente se niega", "off_ward": "fuera de la planta", "asleep": "dormido",
                     "unable": "no es posible", "other": "otro motivo"},
        "device": {"room_air": "aire ambiente", "blow_by": "oxígeno indirecto (blow-by)",
                   "nasal_cannula": "gafas nasales", "high_flow_nasal_cannula": "gafas nasales de alto flujo",
                   "simple_mask": "mascarilla simple", "venturi_mask": "mascarilla Venturi",
                   "non_rebreather": "mascarilla con reservorio", "cpap": "CPAP", "bipap": "BiPAP",
                   "invasive_ventilation": "ventilación invasiva"},
        "acvpu": {"alert": "A", "new_confusion": "C (confusión nueva)", "voice": "V", "pain": "P",
                  "unresponsive": "U"},
        "indication": {"relapsed_refractory": "recidivante/refractaria (R/R)", "mrd_positive": "EMR positiva (EMR+)",
                       "consolidation": "consolidación"},
        "purpose": {"premedication": "premedicación", "crs_treatment": "para el SLC", "other": ""},
        "direction": {"rising": "subiendo", "falling": "bajando", "steady": "estable"},
        "stop_reason": {"crs": "SLC", "neurotoxicity": "neurotoxicidad", "other_adverse_event": "otro efecto adverso",
                        "technical": "técnica", "cycle_complete": "ciclo completo"},
        "premed_reason": {"first_dose_of_cycle": "antes de la primera dosis del ciclo",
                          "restart_after_hold": "antes del reinicio (interrupción de {hold} o más)",
                          "step_up": "antes de la escalada de dosis"},
        "premed_event": {"first_dose_of_cycle": "la primera dosis del ciclo",
                         "restart_after_hold": "el reinicio tras una interrupción de {hold} o más",
                         "step_up": "la escalada de dosis"},
        "drug": {"dexamethasone": "dexametasona", "prednisone": "prednisona",
                 "methylprednisolone": "metilprednisolona", "tocilizumab": "tocilizumab",
                 "paracetamol": "paracetamol", "other": "otro"},
        "vasopressor": {"norepinephrine": "noradrenalina", "epinephrine": "adrenalina",
                        "phenylephrine": "fenilefrina", "dopamine": "dopamina", "vasopressin": "vasopresina",
                        "angiotensin_ii": "angiotensina II"},
        "lab": {"crp": "pcr", "ferritin": "ferritina", "fibrinogen": "fibrinógeno", "triglycerides": "triglicéridos",
                "platelets": "plaquetas"},
        "sex": {"female": "mujer", "male": "hombre", "other": "otro", "unknown": "desconocido"},
        "risk": {"low": "bajo", "low_medium": "bajo-medio", "medium": "medio", "high": "alto"},
        #: The prompt of each code (English prints the rule's own sentence, with its figures).
        "prompt": {
            "interrupt_infusion": "Interrumpir la infusión de blinatumomab (protocolo) y avisar a quien prescribe.",
            "discontinue_permanently": "El protocolo suspende blinatumomab definitivamente: parar la infusión y "
                                       "avisar ya a quien prescribe.",
            "discontinuation_review": "Revisar la suspensión con quien prescribe.",
            "new_cycle_required": "Un reinicio inicia un ciclo nuevo: quien prescribe confirma la dosis del ciclo "
                                  "nuevo.",
            "give_premedication": "Premedicación pendiente: dexametasona según protocolo, {window} antes (según "
                                  "prescripción).",
            "notify_prescriber": "Avisar ya a quien prescribe.",
            "emergency_review": "Valoración médica urgente ya.",
            "consider_icu": "Valorar UCI.",
            "increase_observations": "Aumentar los controles; antitérmicos y medidas de soporte; avisar según la "
                                     "norma local.",
            "record_fio2": "Registrar la FiO2 del dispositivo de oxígeno.",
            "consider_other_causes": "Hipotensión/hipoxia sin fiebre: valorar otras causas; no se gradúa como SLC.",
            "step_up_due": "Escalada de dosis prevista (la confirma quien prescribe), con premedicación.",
            "recurrence_prescriber_review": "SLC recurrente desde el reinicio: escalada suspendida; revisión por "
                                            "quien prescribe.",
            "premedication_timing": "Comprobar el horario de la premedicación.",
            "crp_unreliable": "PCR no fiable tras tocilizumab: una PCR normal no tranquiliza; descartar sepsis.",
            "possible_hlh": "Posible HLH/SAM/IEC-HS: avisar a quien prescribe.",
            "bag_change_due": "Cambio de bolsa de infusión pendiente.",
            "new_cycle_boundary": "La interrupción está cerca del límite de ciclo nuevo (un minuto más es un ciclo "
                                  "nuevo): comprobar las horas de parada y reinicio.",
            "dose_mismatch": "La dosis en curso no es la esperada: comprobar la bolsa con la prescripción.",
            "cycle_infusion_complete": "Se han alcanzado los días de infusión del ciclo: fin de la infusión del ciclo "
                                       "(lo confirma quien prescribe).",
            "restart_eligible": "ICANS de grado 1 o menos el tiempo necesario: puede reiniciarse a la dosis "
                                "reducida (decide quien prescribe).",
            "escalate_unacknowledged": "Sin respuesta a tiempo: avisar a la enfermera/o responsable.",
        },
    },
}


def name(language: str, table: str, code: object) -> str:
    """The printed name of ``code`` (an enumeration value or a string) in a table of :data:`NAMES`; the code itself
    when the table has no entry (a drug name in English, a code added later)."""
    key = str(getattr(code, "value", code))
    return NAMES[language].get(table, {}).get(key, key)


#: The sentences core builds for the handover, with their numbers as ``{placeholders}`` (filled from the protocol and
#: the records where the handover builds them).
SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "sev_reason": "{scale} grade {grade}", "crs": "CRS",
        "severity_rule": "Watcher: CRS or ICANS >= G{watcher} or NEWS2 >= {medium}; Unstable: >= G{unstable} or "
                         "NEWS2 >= {high} (R-SEV-1).",
        "not_recorded": "not recorded", "for_comfort": " (for comfort only)",
        "confirmed": "grade {grade} confirmed by {by} ({status}; computed grade was {computed}): {reason}",
        "a_clinician": "a clinician", "in_force": "in force", "superseded": "superseded by later observations",
        "not_signed": "not signed",
        "bolus": "{volume} mL bolus", "bolus_no_volume": "bolus (volume not recorded)",
        "hourly": "hourly", "every_h": "every {n} h", "every_min": "every {n} min",
        "act_observations": "Observations {interval} (NEWS2 / CRS grade)",
        "act_bag": "Bag change (pharmacy label; never flush the line)",
        "act_premedication": "Premedication {reason}: dexamethasone per protocol, {window} before (prescriber's order)",
        "act_step_up": "Step-up to {dose} mcg/day due (prescriber to confirm; premedication first)",
        "act_new_cycle_limit": "{limit} hold limit: a restart after this starts a new cycle",
        "act_discontinuation_limit": "{limit} hold limit: discontinuation review",
        "answer": "{called}: {response}", "answer_by": ", by {by}",
        "round_pressor_started": "{agent} started", "round_pressor_stopped": "{agent} stopped",
        "round_escalation": "{called} called about {about}: {response}",
        "round_not_done": "Observations not done: {reason}",
        "crs_discontinue": "protocol discontinues blinatumomab permanently - stop, call the prescriber now",
        "crs_interrupt": "interrupt the infusion (protocol: grade >= {grade})",
        "crs_emergency": "emergency medical review, consider ICU", "crs_notify": "notify the prescriber now",
        "crs_increase": "increase observations, notify per local policy",
        "if_fever": "T >= {temperature}",
        "if_fever_waived": "No fever (fever waived: CRS treated in this episode)",
        "then_fever_waived": "still grade by blood pressure and oxygen alone - a normal temperature is not recovery",
        "then_fever": "full CRS assessment (BP, SpO2, O2 need) - grade 1: {response}",
        "if_grade2": "New O2 need (nasal cannula <= {flow} L/min or blow-by), SBP < {sbp} mmHg, or a fluid bolus for "
                     "low BP",
        "then_crs_grade": "CRS grade {grade}: {response}",
        "if_grade3": "Any vasopressor, O2 > {flow} L/min, a mask or high-flow, or FiO2 >= {fio2} %",
        "if_grade4": "Two vasopressors (vasopressin not counted), CPAP, BiPAP or ventilation",
        "if_recurrence": "CRS reaches grade >= {grade} again",
        "then_recurrence": "episode {episode} of grade >= {grade} this course: discontinuation review with the "
                           "prescriber",
        "then_seizure": "ICANS grade 3: withhold blinatumomab (label), urgent medical review",
        "then_last_seizure": "seizure number {n} this course: label discontinues blinatumomab permanently - urgent "
                             "medical review",
        "if_ice2": "ICE {ice} or less, or wakes only to voice",
        "then_ice2": "ICANS grade 2: notify the prescriber, repeat ICE, neuro observations",
        "if_ice3": "ICE {ice} or less, wakes only to touch, or any seizure",
        "if_child": "Child under {age}: new agitation, reduced arousal, or any seizure",
        "then_child": "neuro review now - ICANS is graded with CAPD under {age} (not by the app); a seizure: {seizure}",
        "if_news2_medium": "NEWS2 >= {score}, or any single parameter scoring 3",
        "then_news2_medium": "inform the medical team immediately; urgent review; at least hourly observations",
        "if_news2_high": "NEWS2 >= {score}",
        "then_news2_high": "emergency response: critical-care-competent team, continuous monitoring",
        "if_restart": "The prescriber orders a restart",
        "premed_needed_at": "premedication is needed if the restart is at or after {at} (hold of {hold})",
        "premed_over": "premedication (dexamethasone {window} before) - the hold is over {hold}",
        "then_restart": "{premedication}; restart dose {dose} mcg/day per prescriber; supervision for re-initiation",
        "if_step_up_recurrence": "CRS recurs before the step-up",
        "then_step_up_recurrence": "step-up is suppressed - prescriber review",
        "warning_missing": "{at}: no premedication recorded before {event}",
        "warning_window": "{at}: premedication {minutes} min before {event} (outside the premedication window)",
        "answered_mark": " (answered)",
        "hr": "HR", "rr": "RR", "bp": "BP", "mrn": "MRN", "bed_word": "bed", "years": "y", "bsa": "BSA",
        "high_burden": "High tumour burden", "marrow_blasts": "marrow blasts", "none_recorded": "none recorded",
        "spo2_scale2": "NEWS2 SpO2 scale 2",
        "not_held_here": "Allergies, code status, lines and cultures are not held in CRS Bedside: check the patient "
                         "record.",
        "latest_record": "Latest record here:", "scales_differ": "SCALES DIFFER", "rules": "rules",
        "clinician": "Clinician", "episode_open": "Episode open since {since}",
        "episode_closed": "Episode closed since {since}", "maximum": "maximum",
        "episodes_grade2": "episodes of grade >= 2 this course", "no_episode": "No CRS episode so far.",
        "fever_waived": "Fever waived", "crs_treated": "CRS treated in this episode",
        "grade_without_fever": "grade by BP and oxygen without fever.", "crs_treatment": "CRS treatment",
        "no_neuro": "no neuro assessment recorded", "at": "at", "ice_trend": "ICE trend",
        "seizures": "seizures this course",
        "news2_not_applicable": "not applicable (under 16: use the paediatric score)",
        "risk": "{risk} risk", "red_parameter": "red parameter", "not_calculated": "not calculated",
        "incomplete": "latest set at {at} is incomplete (missing {missing})",
        "news2_trend": "Trend (24 h, complete sets)", "no_complete_set": "no complete set recorded",
        "later_partial": "Later partial set", "oxygen": "Oxygen", "vasopressors": "Vasopressors", "since": "since",
        "none": "none", "fluid_boluses": "Fluid boluses (24 h)", "total": "total",
        "fluids_count": "counts as fluids given for CRS grading until {until} (D4)", "unreliable": "unreliable",
        "crp_unreliable": "CRP unreliable",
        "crp_after_tocilizumab": "tocilizumab {at}, until {until} a falling or normal CRP is not reassurance (R-LAB-1)",
        "cycle": "cycle", "day": "day", "inpatient": "Inpatient period (label)", "hung": "hung",
        "change_due": "change due", "never_flush": "Never flush the line.", "no_bag": "no bag running",
        "infused": "infused", "remaining": "remaining", "cycle_started": "cycle started", "still_held": "still held",
        "held_for": "Held for", "limit": "{limit} limit", "limit_passed": "PASSED - a restart is a new cycle",
        "limit_new_cycle": "a restart after it is a new cycle (R-INT-2)",
        "limit_discontinuation": "discontinuation review (D2).", "not_due": "not due", "last": "last",
        "suppressed": "suppressed", "crs_recurred": "CRS recurred since the restart",
        "step_up_to": "to {dose} mcg/day due {at} ({until})", "none_pending": "none pending",
        "footer_protocol": "Protocol {id} version {version} ({name}) · CRS Bedside {app} · {scales}",
        "footer_disclaimer": "CRS Bedside is {disclaimer}: prompts for the nurse and the prescriber; the prescriber "
                             "decides.",
        "disclaimer": "decision support — not an order",
        "scales": "CRS: ASTCT 2019 + CTCAE v5.0 (interpretive BiTE table); ICANS: ASTCT 2019; NEWS2 © RCP 2017",
        "ident_bed": "bed {bed}", "ident_dob": "DOB {dob}",
        "demo_mark": "DEMO — SYNTHETIC DATA", "page": "Page {page} of {pages}", "trend_temp": "Temp",
        "trend_pulse": "Pulse", "trend_sbp": "Systolic BP",
        "trend_spo2": "SpO2", "trend_last": "last {value} ({low}–{high})", "trend_none": "no readings",
        "trend_crs": "CRS grade", "trend_icans": "- - ICANS grade", "trend_hours": "Last {hours} h",
    },
    "es": {
        "sev_reason": "{scale} grado {grade}", "crs": "SLC",
        "severity_rule": "Vigilar: SLC o ICANS >= G{watcher} o NEWS2 >= {medium}; Inestable: >= G{unstable} o "
                         "NEWS2 >= {high} (R-SEV-1).",
        "not_recorded": "no registrado", "for_comfort": " (solo por confort)",
        "confirmed": "grado {grade} confirmado por {by} ({status}; el grado calculado era {computed}): {reason}",
        "a_clinician": "un clínico", "in_force": "vigente", "superseded": "superado por observaciones posteriores",
        "not_signed": "sin firmar",
        "bolus": "bolo de {volume} mL", "bolus_no_volume": "bolo (volumen no registrado)",
        "hourly": "cada hora", "every_h": "cada {n} h", "every_min": "cada {n} min",
        "act_observations": "Controles {interval} (NEWS2 / grado de SLC)",
        "act_bag": "Cambio de bolsa (etiqueta de farmacia; no purgar nunca la vía)",
        "act_premedication": "Premedicación {reason}: dexametasona según protocolo, {window} antes (según "
                             "prescripción)",
        "act_step_up": "Escalada a {dose} mcg/día prevista (la confirma quien prescribe; antes, la premedicación)",
        "act_new_cycle_limit": "Límite de interrupción {limit}: un reinicio posterior inicia un ciclo nuevo",
        "act_discontinuation_limit": "Límite de interrupción {limit}: revisar la suspensión",
        "answer": "{called}: {response}", "answer_by": ", por {by}",
        "round_pressor_started": "{agent}: inicio", "round_pressor_stopped": "{agent}: retirada",
        "round_escalation": "{called}, avisado por: {about}; respuesta: {response}",
        "round_not_done": "Controles no realizados: {reason}",
        "crs_discontinue": "el protocolo suspende blinatumomab definitivamente: parar y llamar ya a quien prescribe",
        "crs_interrupt": "interrumpir la infusión (protocolo: grado >= {grade})",
        "crs_emergency": "valoración médica urgente, valorar UCI", "crs_notify": "avisar ya a quien prescribe",
        "crs_increase": "aumentar los controles, avisar según la norma local",
        "if_fever": "T >= {temperature}",
        "if_fever_waived": "Sin fiebre (fiebre no exigida: SLC tratado en este episodio)",
        "then_fever_waived": "seguir graduando solo por la tensión arterial y el oxígeno: una temperatura normal no es "
                             "recuperación",
        "then_fever": "valoración completa del SLC (TA, SpO2, necesidad de O2); grado 1: {response}",
        "if_grade2": "Nueva necesidad de O2 (gafas nasales <= {flow} L/min u oxígeno indirecto), TAS < {sbp} mmHg, o "
                     "un bolo de líquidos por TA baja",
        "then_crs_grade": "SLC grado {grade}: {response}",
        "if_grade3": "Cualquier vasopresor, O2 > {flow} L/min, mascarilla o alto flujo, o FiO2 >= {fio2} %",
        "if_grade4": "Dos vasopresores (sin contar la vasopresina), CPAP, BiPAP o ventilación",
        "if_recurrence": "El SLC vuelve a grado >= {grade}",
        "then_recurrence": "episodio {episode} de grado >= {grade} en este tratamiento: revisar la suspensión con "
                           "quien prescribe",
        "then_seizure": "ICANS grado 3: suspender temporalmente blinatumomab (ficha técnica), valoración médica "
                        "urgente",
        "then_last_seizure": "convulsión número {n} en este tratamiento: la ficha técnica suspende blinatumomab "
                             "definitivamente; valoración médica urgente",
        "if_ice2": "ICE {ice} o menos, o solo despierta con la voz",
        "then_ice2": "ICANS grado 2: avisar a quien prescribe, repetir el ICE, controles neurológicos",
        "if_ice3": "ICE {ice} o menos, solo despierta al tacto, o cualquier convulsión",
        "if_child": "Menor de {age} años: agitación nueva, menor nivel de alerta o cualquier convulsión",
        "then_child": "valoración neurológica ya: por debajo de {age} años el ICANS se gradúa con CAPD (no lo hace la "
                      "aplicación); una convulsión: {seizure}",
        "if_news2_medium": "NEWS2 >= {score}, o un parámetro con 3 puntos",
        "then_news2_medium": "informar de inmediato al equipo médico; valoración urgente; controles al menos cada hora",
        "if_news2_high": "NEWS2 >= {score}",
        "then_news2_high": "respuesta de emergencia: equipo con competencias en críticos, monitorización continua",
        "if_restart": "Quien prescribe ordena reiniciar",
        "premed_needed_at": "hace falta premedicación si el reinicio es a partir de {at} (interrupción de {hold})",
        "premed_over": "premedicación (dexametasona {window} antes): la interrupción supera {hold}",
        "then_restart": "{premedication}; dosis de reinicio {dose} mcg/día según prescripción; supervisión del "
                        "reinicio",
        "if_step_up_recurrence": "El SLC reaparece antes de la escalada",
        "then_step_up_recurrence": "la escalada queda suspendida: revisión por quien prescribe",
        "warning_missing": "{at}: no consta premedicación antes de {event}",
        "warning_window": "{at}: premedicación {minutes} min antes de {event} (fuera de la ventana de premedicación)",
        "answered_mark": " (respondido)",
        "hr": "FC", "rr": "FR", "bp": "TA", "mrn": "NHC", "bed_word": "cama", "years": "a", "bsa": "SC",
        "high_burden": "Carga tumoral alta", "marrow_blasts": "blastos en médula", "none_recorded": "nada registrado",
        "spo2_scale2": "NEWS2 escala 2 de SpO2",
        "not_held_here": "Alergias, nivel de soporte vital, vías y cultivos no constan en CRS Bedside: consultar la "
                         "historia clínica.",
        "latest_record": "Último registro aquí:", "scales_differ": "LAS ESCALAS DIFIEREN", "rules": "reglas",
        "clinician": "Clínico", "episode_open": "Episodio abierto desde {since}",
        "episode_closed": "Episodio cerrado desde {since}", "maximum": "máximo",
        "episodes_grade2": "episodios de grado >= 2 en este tratamiento", "no_episode": "Ningún episodio de SLC hasta "
                                                                                     "ahora.",
        "fever_waived": "Fiebre no exigida", "crs_treated": "SLC tratado en este episodio",
        "grade_without_fever": "graduar por TA y oxígeno sin fiebre.", "crs_treatment": "Tratamiento del SLC",
        "no_neuro": "ninguna valoración neurológica registrada", "at": "a las", "ice_trend": "evolución del ICE",
        "seizures": "convulsiones en este tratamiento",
        "news2_not_applicable": "no aplicable (menor de 16: usar la escala pediátrica)",
        "risk": "riesgo {risk}", "red_parameter": "parámetro rojo", "not_calculated": "no calculado",
        "incomplete": "la última toma ({at}) está incompleta (falta {missing})",
        "news2_trend": "Evolución (24 h, tomas completas)", "no_complete_set": "ninguna toma completa registrada",
        "later_partial": "Toma parcial posterior", "oxygen": "Oxígeno", "vasopressors": "Vasopresores",
        "since": "desde", "none": "ninguno", "fluid_boluses": "Bolos de líquidos (24 h)", "total": "total",
        "fluids_count": "cuenta como líquidos administrados para graduar el SLC hasta {until} (D4)",
        "unreliable": "no fiable", "crp_unreliable": "PCR no fiable",
        "crp_after_tocilizumab": "tocilizumab {at}; hasta {until} una PCR que baja o es normal no tranquiliza "
                                 "(R-LAB-1)",
        "cycle": "ciclo", "day": "día", "inpatient": "Periodo de ingreso (ficha técnica)", "hung": "colocada",
        "change_due": "cambio previsto", "never_flush": "No purgar nunca la vía.", "no_bag": "ninguna bolsa en curso",
        "infused": "infundido", "remaining": "restante", "cycle_started": "ciclo iniciado",
        "still_held": "sigue interrumpida", "held_for": "Interrumpida desde hace", "limit": "Límite {limit}",
        "limit_passed": "SUPERADO: un reinicio es un ciclo nuevo",
        "limit_new_cycle": "un reinicio posterior es un ciclo nuevo (R-INT-2)",
        "limit_discontinuation": "revisar la suspensión (D2).", "not_due": "no pendiente", "last": "última",
        "suppressed": "suspendida", "crs_recurred": "el SLC reapareció tras el reinicio",
        "step_up_to": "a {dose} mcg/día prevista {at} ({until})", "none_pending": "ninguna pendiente",
        "footer_protocol": "Protocolo {id} versión {version} ({name}) · CRS Bedside {app} · {scales}",
        "footer_disclaimer": "CRS Bedside es {disclaimer}: avisos para enfermería y para quien prescribe; decide quien "
                             "prescribe.",
        "disclaimer": "ayuda a la decisión, no una orden",
        "scales": "SLC: ASTCT 2019 + CTCAE v5.0 (tabla interpretativa para BiTE); ICANS: ASTCT 2019; NEWS2 © RCP 2017",
        "ident_bed": "cama {bed}", "ident_dob": "nac. {dob}",
        "demo_mark": "DEMO — DATOS SINTÉTICOS", "page": "Página {page} de {pages}", "trend_temp": "Temp.",
        "trend_pulse": "Pulso",
        "trend_sbp": "TA sistólica", "trend_spo2": "SpO2", "trend_last": "últ. {value} ({low}–{high})",
        "trend_none": "sin lecturas", "trend_crs": "Grado de SLC", "trend_icans": "- - Grado ICANS",
        "trend_hours": "Últimas {hours} h",
    },
}
for _language in LANGUAGES:
    assert not set(SENTENCES[_language]) & set(WORDS[_language]), "a key in both catalogues"
    WORDS[_language].update(SENTENCES[_language])


def premed_event_text(event: str, hold_minutes: int, language: str = "en") -> str:
    """The event premedication comes before, with the protocol's hold length (``the restart after a hold of 4 h or
    more`` at 240 minutes)."""
    return NAMES[language]["premed_event"][event].format(hold=span_text(hold_minutes, language))

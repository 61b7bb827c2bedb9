"""The printed handover's words in each language, keyed by code (one place; core cannot use Qt's tr). The GUI passes
the window's language and temperature unit, the command line takes ``--language en|es --unit c|f`` (INTERFACE.md
Additions). Numbers and limits inside the words come from the protocol where the handover builds them."""

from __future__ import annotations

from datetime import datetime

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
        "h_severity": "I · Gravedad de la enfermedad", "h_summary": "P · Resumen del paciente (situación y antecedentes)",
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


def date_text(language: str, value: datetime) -> str:
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
    minutes = int(round(hours * 60))
    days, rest = divmod(minutes, 1440)
    h, m = divmod(rest, 60)
    if days:
        return f"{days} d {h} h"
    if h:
        return f"{h} h {m:02d} min" if m else f"{h} h"
    return f"{m} min"

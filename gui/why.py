"""The "why" of a grade in a nurse's words: the values that set it, values carried forward from an earlier set marked
with their time, and the rule ids kept apart in a details line for clinicians (issue 14)."""

from __future__ import annotations

from datetime import datetime

from core.state import CurrentVitals, PatientState
from gui import words as w
from gui.i18n import Status
from gui.record_text import local_time, temperature_text


def _from(name: str, taken_at: dict[str, datetime], newest: datetime | None) -> str:
    """`` (from 08:00)`` when the value was taken before ``newest`` (carried forward, D11), else nothing."""
    taken = taken_at.get(name)
    if taken is None or newest is None or taken >= newest:
        return ""
    return " " + Status.tr("(from %1)").replace("%1", local_time(taken))


def _oxygen(values: dict[str, object]) -> str:
    device = values.get("oxygen_device")
    if device is None:
        return ""
    text = w.word(w.OXYGEN_DEVICES, getattr(device, "value", device))
    if values.get("oxygen_flow_l_min") is not None:
        text += f" {values['oxygen_flow_l_min']:g} L/min"
    if values.get("fio2_percent") is not None:
        text += f" FiO2 {values['fio2_percent']} %"
    if values.get("oxygen_for_comfort_only"):
        text += " " + Status.tr("(for comfort only)")
    return text


def grade_words(state: PatientState) -> str:
    """``grade 2 on both scales``, ``grade 3 (ASTCT 3, CTCAE ≥2)`` or ``no CRS``."""
    c = state.crs.computed
    grade = state.crs.grade
    if grade == 0 and c.grade == 0:
        return Status.tr("no CRS")
    ctcae = f"{'≥' if c.ctcae.at_least else ''}{c.ctcae.grade}"
    if c.astct.grade == c.ctcae.grade and not c.ctcae.at_least and grade == c.grade:
        return Status.tr("grade %1 on both scales").replace("%1", str(grade))
    return Status.tr("grade %1 (ASTCT %2, CTCAE %3)").replace("%1", str(grade)).replace(
        "%2", str(c.astct.grade)).replace("%3", ctcae)


def trigger_sentence(state: PatientState, unit: str) -> str:
    """The values that set the grade shown, in plain words: ``T 38.7 °C and SBP 84 mmHg needing fluids → grade 2 on
    both scales``. Built from the assessment that set the grade (core's ``crs.trigger``), not a later reassuring
    set; a value from an earlier set than that assessment says when it was taken."""
    trigger = state.crs.trigger
    at: datetime | None
    if trigger is not None:
        values, taken_at, fluids, pressors, at = (trigger.values, trigger.taken_at, trigger.fluids_given,
                                                  trigger.vasopressors, trigger.at)
    else:
        cv = state.vitals
        values, taken_at, fluids, pressors = cv.values, cv.taken_at, cv.fluids_given, cv.vasopressors
        at = max(taken_at.values()) if taken_at else None
    parts = []
    newest = max(state.vitals.taken_at.values(), default=None)
    prefix = ""
    if trigger is not None and newest is not None and trigger.at < newest:
        # a later set left the grade where this one put it: say when the grade was set
        prefix = Status.tr("At %1: ").replace("%1", local_time(trigger.at))
    if values.get("temperature_c") is not None:
        temperature: float = values["temperature_c"]  # type: ignore[assignment]  # the fold's values: a float here
        parts.append(Status.tr("T %1").replace("%1", temperature_text(temperature, unit))
                     + _from("temperature_c", taken_at, at))
    if values.get("systolic_bp") is not None:
        bp = Status.tr("SBP %1 mmHg").replace("%1", str(values["systolic_bp"])) + _from("systolic_bp", taken_at, at)
        if pressors:
            bp += " " + Status.tr("on %1").replace("%1", ", ".join(
                w.word(w.VASOPRESSORS, v) for v in sorted(a.value for a in pressors)))
        elif fluids:
            bp += " " + Status.tr("needing fluids")
        parts.append(bp)
    elif pressors or fluids:
        parts.append(Status.tr("vasopressors running") if pressors else Status.tr("a fluid bolus given"))
    device = values.get("oxygen_device")
    oxygen = _oxygen(values) if getattr(device, "value", device) not in (None, "room_air") else ""
    if oxygen:
        if len(oxygen) > 1 and oxygen[1].islower():
            oxygen = oxygen[0].lower() + oxygen[1:]       # "on nasal cannula", but "on CPAP"
        parts.append(Status.tr("on %1").replace("%1", oxygen) + _from("oxygen_device", taken_at, at))
    if not parts:
        return prefix + Status.tr("No temperature, blood pressure or oxygen recorded → %1").replace(
            "%1", grade_words(state))
    listed = parts[0] if len(parts) == 1 else Status.tr("%1 and %2").replace(
        "%1", ", ".join(parts[:-1])).replace("%2", parts[-1])
    return f"{prefix}{listed} → {grade_words(state)}"


def carried_forward(cv: CurrentVitals, since: datetime, unit: str) -> str:
    """The values a grade uses that were taken before ``since`` (an earlier set, D11), each with its time:
    ``T 38.3 °C (from 08:00)``; empty when none."""
    parts = []
    for name in ("temperature_c", "systolic_bp", "oxygen_device", "fio2_percent", "spo2_percent", "heart_rate",
                 "respiratory_rate", "consciousness"):
        taken = cv.taken_at.get(name)
        if taken is None or taken >= since or cv.values.get(name) is None:
            continue
        value = cv.values[name]
        if name == "temperature_c":
            text = Status.tr("T %1").replace("%1", temperature_text(value, unit))  # type: ignore[arg-type]  # temperature_c: a float
        elif name == "systolic_bp":
            text = Status.tr("SBP %1 mmHg").replace("%1", str(value))
        elif name == "oxygen_device":
            text = _oxygen(cv.values)
        elif name == "fio2_percent":
            continue                       # said with the device
        elif name == "spo2_percent":
            text = Status.tr("SpO2 %1 %").replace("%1", str(value))
        elif name == "heart_rate":
            text = Status.tr("P %1").replace("%1", str(value))
        elif name == "respiratory_rate":
            text = Status.tr("RR %1").replace("%1", str(value))
        else:
            text = w.word(w.CONSCIOUSNESS, getattr(value, "value", value))
        parts.append(f"{text} " + Status.tr("(from %1)").replace("%1", local_time(taken)))
    return " · ".join(parts)


def rules_details(state: PatientState) -> str:
    """The details line for clinicians: the rule ids behind the grade and the recommendations, and the protocol."""
    grade_rules = ", ".join(state.crs.computed.rules) or "–"
    rec_rules = ", ".join(dict.fromkeys(r.rule for r in state.recommendations)) or "–"
    return Status.tr("For clinicians: grade rules %1 · recommendation rules %2 · protocol %3 v%4").replace(
        "%1", grade_rules).replace("%2", rec_rules).replace("%3", state.protocol["id"]).replace(
        "%4", state.protocol["version"])

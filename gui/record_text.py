"""Plain words for stored records and values (the records list, the banner's "why", the wizard's review)."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from core.protocol import Protocol
from core.records import RecordBase
from core.units import celsius_to_fahrenheit
from gui import words as w
from gui.i18n import Status


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as typed: Qt renders a tooltip that looks like markup as rich text (a note's
    ``<img>`` would load a file), so the text is escaped into a paragraph of its own."""
    return "<p>" + html.escape(text, quote=False).replace("\n", "<br>") + "</p>"


def local_datetime(at: datetime) -> str:
    """Local date and time (D8) with the month in the window's language (QLocale), e.g. ``11 Jan 08:00``,
    ``11 ene 08:00``."""
    local = at.astimezone()
    when = QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
    return QLocale().toString(when, "dd MMM HH:mm")


def local_time(at: datetime) -> str:
    """Local wall-clock time, e.g. ``08:00``."""
    return at.astimezone().strftime("%H:%M")


def temperature_text(celsius: float, unit: str) -> str:
    """A stored °C value shown in the user's unit."""
    if unit == "F":
        return f"{celsius_to_fahrenheit(celsius):.1f} °F"
    return f"{celsius:.1f} °C"


def vitals_text(values: dict[str, Any], unit: str) -> str:
    """``T 38.4 °C · P 104 · RR 16 · BP 122/76 · SpO2 97 % · Room air · Alert`` from whatever is present."""
    parts: list[str] = []
    v = {k: getattr(val, "value", val) for k, val in values.items() if val is not None}
    if "temperature_c" in v:
        parts.append(Status.tr("T %1").replace("%1", temperature_text(v["temperature_c"], unit)))
    if "heart_rate" in v:
        parts.append(Status.tr("P %1").replace("%1", str(v["heart_rate"])))
    if "respiratory_rate" in v:
        parts.append(Status.tr("RR %1").replace("%1", str(v["respiratory_rate"])))
    if "systolic_bp" in v:
        bp = str(v["systolic_bp"]) + (f"/{v['diastolic_bp']}" if "diastolic_bp" in v else "")
        parts.append(Status.tr("BP %1").replace("%1", bp))
    if "spo2_percent" in v:
        parts.append(Status.tr("SpO2 %1 %").replace("%1", str(v["spo2_percent"])))
    if "oxygen_device" in v:
        device = w.word(w.OXYGEN_DEVICES, v["oxygen_device"])
        if "oxygen_flow_l_min" in v:
            device += f" {v['oxygen_flow_l_min']:g} L/min"
        if "fio2_percent" in v:
            device += f" FiO2 {v['fio2_percent']} %"
        if v.get("oxygen_for_comfort_only"):
            device += " " + Status.tr("(for comfort only)")
        parts.append(device)
    if "consciousness" in v:
        parts.append(w.word(w.CONSCIOUSNESS, v["consciousness"]))
    if v.get("fluid_bolus_given"):
        parts.append(Status.tr("fluid bolus given"))
    if v.get("vasopressors"):
        names = ", ".join(w.word(w.VASOPRESSORS, agent) for agent in v["vasopressors"])
        parts.append(Status.tr("vasopressors: %1").replace("%1", names))
    if v.get("life_threatening"):
        parts.append(Status.tr("life-threatening (clinician)"))
    if v.get("fever_other_cause"):
        parts.append(Status.tr("fever from another cause (clinician)"))
    return " · ".join(parts)


def _bag(r: Any) -> str:
    return Status.tr("%1 mcg over %2 h").replace("%1", f"{r.dose_mcg:g}").replace("%2", f"{r.duration_h:g}")


def record_details(record: RecordBase, unit: str, protocol: Protocol) -> str:
    """One line describing a record's content, and its electronic signature when it carries one (21 CFR Part 11:
    the signer's name, when, and what the signature means)."""
    text = _content(record, unit, protocol)
    signature = getattr(record, "signature", None)
    if signature is not None:
        # The meaning is the words stored in the signed record (§11.50), shown as they were signed.
        text += " · " + Status.tr("e-signature of %1 (%2), %3: %4").replace("%1", signature.name).replace(
            "%2", signature.username).replace("%3", local_datetime(signature.signed_at)).replace(
            "%4", signature.meaning)
    return text


def _content(record: RecordBase, unit: str, protocol: Protocol) -> str:
    r: Any = record
    kind = record.type
    if kind == "vitals":
        return vitals_text({name: getattr(r, name) for name in type(r).model_fields
                            if name not in ("id", "mrn", "at", "by", "type", "age_years")}, unit)
    if kind in ("infusion_started", "bag_changed", "infusion_resumed"):
        text = _bag(r)
        if kind == "infusion_started" and r.cycle:
            text += " · " + Status.tr("cycle %1").replace("%1", str(r.cycle))
        if getattr(r, "override_reason", None):   # issue 13: a start the guard stopped, confirmed with a reason
            from gui.i18n import Round

            text += " · " + Round.tr("confirmed despite the guard: %1").replace("%1", r.override_reason) + (
                f" ({r.ordered_by})" if r.ordered_by else "")
        return text
    if kind == "infusion_stopped":
        return Status.tr("reason: %1").replace("%1", w.word(w.STOP_REASONS, r.reason))
    if kind == "medication_given":
        return f"{w.word(w.DRUGS, r.drug)} {r.dose_mg:g} mg · {w.word(w.PURPOSES, r.purpose)}"
    if kind == "fluid_bolus":
        return f"{r.volume_ml:g} mL"
    if kind in ("vasopressor_started", "vasopressor_stopped"):
        return w.word(w.VASOPRESSORS, r.agent)
    if kind == "symptom":
        return w.word(w.SYMPTOMS, r.name) + (f" – {r.note}" if r.note else "")
    if kind == "neuro_assessment":
        ice = Status.tr("ICE %1/10").replace("%1", str(r.ice_score)) if r.ice_score is not None else \
            Status.tr("ICE not possible")
        parts = [ice, w.word(w.AROUSAL, r.arousal), w.word(w.SEIZURE, r.seizure)]
        if r.motor_weakness:
            parts.append(Status.tr("motor weakness"))
        if r.cerebral_edema.value != "none":
            parts.append(Status.tr("cerebral oedema: %1").replace("%1", r.cerebral_edema.value))
        return " · ".join(parts)
    if kind == "lab_result":
        return f"{r.test} {r.value:g} {r.unit}"
    if kind == "grade_confirmed":
        return Status.tr("grade %1: %2").replace("%1", str(r.grade)).replace("%2", r.reason)
    if kind == "note":
        return r.text
    if kind == "entered_in_error":
        return Status.tr("marks an earlier record entered in error: %1").replace("%1", r.reason)
    return _round_details(r, protocol) or str(getattr(r, "reason", ""))


def _round_details(r: Any, protocol: Protocol) -> str:
    """The round's records (issue 13): an escalation, observations not done, changed details, a discharge."""
    from gui.i18n import Round

    kind = r.type
    if kind == "escalation":
        called = w.word(w.ESCALATED_TO, r.to) + (f" ({r.name})" if r.name else "")
        text = Round.tr("%1: %2 · answers: %3").replace("%1", called).replace(
            "%2", w.word(w.ESCALATION_RESPONSES, r.response)).replace(
            "%3", "; ".join(w.recommendation_short(code, protocol) for code in r.acknowledges))
        return text + (f" – {r.note}" if r.note else "")
    if kind == "observations_not_done":
        return w.word(w.NOT_DONE_REASONS, r.reason) + (f" – {r.note}" if r.note else "")
    if kind == "patient_updated":
        return " · ".join(f"{name}: {'–' if value is None else getattr(value, 'value', value)}"
                          for name, value in r.changes().items())
    if kind == "discharged":
        return r.note or ""
    return ""

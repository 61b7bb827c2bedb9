"""Words for the codes core returns: flags, enumerations, record types, field labels (translated by Qt), and the
rules' sentences (recommendations, guard reasons, management, premedication reasons), which core renders in the
window's language from the sentence key and the values the rule took from the protocol (core/rule_words.py).
"""

from __future__ import annotations

from PySide6.QtCore import QLocale

from core.handover_words import LANGUAGES, span_text
from core.protocol import Protocol
from core.rule_words import code_text, premed_reason_text
from core.rule_words import management_text as core_management_text
from core.services import GuardReason, Recommendation
from gui.i18n import QT_TRANSLATE_NOOP, Words

FLAGS = {
    "hypotension_hypoxia_without_fever": QT_TRANSLATE_NOOP(
        "Words", "Hypotension/hypoxia without fever: consider other causes"),
    "device_flow_mismatch": QT_TRANSLATE_NOOP("Words", "High-flow device at a low flow: confirm device and flow"),
    "angiotensin_ii_confirm": QT_TRANSLATE_NOOP("Words", "Angiotensin II running: confirm"),
    "fio2_not_recorded": QT_TRANSLATE_NOOP("Words", "FiO2 not recorded: CTCAE can only say 'at least'"),
    "fever_waived": QT_TRANSLATE_NOOP("Words", "Fever waived after CRS treatment (R-AST-2)"),
    "fever_other_cause": QT_TRANSLATE_NOOP("Words", "Fever attributed to another cause"),
    "recurrent_crs": QT_TRANSLATE_NOOP("Words", "Recurrent CRS"),
    "crp_unreliable": QT_TRANSLATE_NOOP("Words", "CRP unreliable after tocilizumab"),
    "possible_hlh": QT_TRANSLATE_NOOP("Words", "Possible HLH/MAS/IEC-HS"),
    "high_tumor_burden": QT_TRANSLATE_NOOP(
        "Words", "High tumour burden (marrow blasts at or above the protocol limit)"),
}

OXYGEN_DEVICES = {
    "room_air": QT_TRANSLATE_NOOP("Words", "Room air"),
    "blow_by": QT_TRANSLATE_NOOP("Words", "Blow-by oxygen"),
    "nasal_cannula": QT_TRANSLATE_NOOP("Words", "Nasal cannula"),
    "high_flow_nasal_cannula": QT_TRANSLATE_NOOP("Words", "High-flow nasal cannula"),
    "simple_mask": QT_TRANSLATE_NOOP("Words", "Simple face mask"),
    "venturi_mask": QT_TRANSLATE_NOOP("Words", "Venturi mask"),
    "non_rebreather": QT_TRANSLATE_NOOP("Words", "Non-rebreather mask"),
    "cpap": QT_TRANSLATE_NOOP("Words", "CPAP"),
    "bipap": QT_TRANSLATE_NOOP("Words", "BiPAP"),
    "invasive_ventilation": QT_TRANSLATE_NOOP("Words", "Invasive ventilation"),
}

CONSCIOUSNESS = {
    "alert": QT_TRANSLATE_NOOP("Words", "Alert"),
    "new_confusion": QT_TRANSLATE_NOOP("Words", "New confusion"),
    "voice": QT_TRANSLATE_NOOP("Words", "Responds to voice"),
    "pain": QT_TRANSLATE_NOOP("Words", "Responds to pain"),
    "unresponsive": QT_TRANSLATE_NOOP("Words", "Unresponsive"),
}

VASOPRESSORS = {
    "norepinephrine": QT_TRANSLATE_NOOP("Words", "Norepinephrine"),
    "epinephrine": QT_TRANSLATE_NOOP("Words", "Epinephrine"),
    "phenylephrine": QT_TRANSLATE_NOOP("Words", "Phenylephrine"),
    "dopamine": QT_TRANSLATE_NOOP("Words", "Dopamine"),
    "vasopressin": QT_TRANSLATE_NOOP("Words", "Vasopressin"),
    "angiotensin_ii": QT_TRANSLATE_NOOP("Words", "Angiotensin II"),
}

AROUSAL = {
    "awake": QT_TRANSLATE_NOOP("Words", "Alert and awake"),
    "awakens_spontaneously": QT_TRANSLATE_NOOP("Words", "Drowsy, awakens spontaneously"),
    "voice": QT_TRANSLATE_NOOP("Words", "Awakens to voice"),
    "touch": QT_TRANSLATE_NOOP("Words", "Awakens only to touch"),
    "unarousable": QT_TRANSLATE_NOOP("Words", "Unarousable"),
}

SEIZURE = {
    "none": QT_TRANSLATE_NOOP("Words", "No seizure"),
    "resolved": QT_TRANSLATE_NOOP("Words", "Seizure, resolved"),
    "prolonged_or_repeated": QT_TRANSLATE_NOOP("Words", "Prolonged or repeated seizures"),
}

SYMPTOMS = {
    "rigors": QT_TRANSLATE_NOOP("Words", "Rigors"),
    "rash": QT_TRANSLATE_NOOP("Words", "Rash"),
    "headache": QT_TRANSLATE_NOOP("Words", "Headache"),
    "nausea": QT_TRANSLATE_NOOP("Words", "Nausea"),
    "myalgia": QT_TRANSLATE_NOOP("Words", "Myalgia"),
}

RECORD_TYPES = {
    "vitals": QT_TRANSLATE_NOOP("Words", "Vitals"),
    "infusion_started": QT_TRANSLATE_NOOP("Words", "Infusion started"),
    "bag_changed": QT_TRANSLATE_NOOP("Words", "Bag changed"),
    "infusion_stopped": QT_TRANSLATE_NOOP("Words", "Infusion stopped"),
    "infusion_resumed": QT_TRANSLATE_NOOP("Words", "Infusion resumed"),
    "therapy_discontinued": QT_TRANSLATE_NOOP("Words", "Therapy discontinued"),
    "medication_given": QT_TRANSLATE_NOOP("Words", "Medication given"),
    "fluid_bolus": QT_TRANSLATE_NOOP("Words", "Fluid bolus"),
    "vasopressor_started": QT_TRANSLATE_NOOP("Words", "Vasopressor started"),
    "vasopressor_stopped": QT_TRANSLATE_NOOP("Words", "Vasopressor stopped"),
    "symptom": QT_TRANSLATE_NOOP("Words", "Symptom"),
    "neuro_assessment": QT_TRANSLATE_NOOP("Words", "ICE assessment"),
    "lab_result": QT_TRANSLATE_NOOP("Words", "Lab result"),
    "grade_confirmed": QT_TRANSLATE_NOOP("Words", "Grade confirmed"),
    "note": QT_TRANSLATE_NOOP("Words", "Note"),
    "entered_in_error": QT_TRANSLATE_NOOP("Words", "Correction"),
    "crs_episode_closed": QT_TRANSLATE_NOOP("Words", "CRS episode closed"),
    "discharged": QT_TRANSLATE_NOOP("Words", "Discharged"),
    "patient_updated": QT_TRANSLATE_NOOP("Words", "Patient details changed"),
    "escalation": QT_TRANSLATE_NOOP("Words", "Escalation"),
    "observations_not_done": QT_TRANSLATE_NOOP("Words", "Observations not done"),
}

#: The kinds of record of the Record menu (gui/record_dialogs.py), as the menu and the forms name them.
RECORD_KINDS = {
    "fluid_bolus": QT_TRANSLATE_NOOP("Words", "Fluid bolus"),
    "crs_treatment": QT_TRANSLATE_NOOP("Words", "CRS treatment"),
    "vasopressor_started": QT_TRANSLATE_NOOP("Words", "Vasopressor started"),
    "vasopressor_stopped": QT_TRANSLATE_NOOP("Words", "Vasopressor stopped"),
    "oxygen": QT_TRANSLATE_NOOP("Words", "Oxygen changed"),
    "lab_result": QT_TRANSLATE_NOOP("Words", "Lab result"),
    "neuro_assessment": QT_TRANSLATE_NOOP("Words", "ICE / neuro assessment"),
    "symptom": QT_TRANSLATE_NOOP("Words", "Symptom"),
    "note": QT_TRANSLATE_NOOP("Words", "Note"),
    "observations_not_done": QT_TRANSLATE_NOOP("Words", "Observations not done"),
    "discharge": QT_TRANSLATE_NOOP("Words", "Discharge"),
}

#: Whom the nurse called (core.records.EscalatedTo).
ESCALATED_TO = {
    "prescriber": QT_TRANSLATE_NOOP("Words", "Prescriber"),
    "nurse_in_charge": QT_TRANSLATE_NOOP("Words", "Nurse in charge"),
    "outreach": QT_TRANSLATE_NOOP("Words", "Outreach team"),
    "icu": QT_TRANSLATE_NOOP("Words", "ICU"),
    "other": QT_TRANSLATE_NOOP("Words", "Someone else"),
}

#: What the person called did (core.records.EscalationResponse).
ESCALATION_RESPONSES = {
    "attending": QT_TRANSLATE_NOOP("Words", "Coming to see the patient"),
    "advice_given": QT_TRANSLATE_NOOP("Words", "Gave advice"),
    "no_response": QT_TRANSLATE_NOOP("Words", "No response"),
    "declined": QT_TRANSLATE_NOOP("Words", "Declined (reason in the note)"),
}

#: Why observations were not done (core.records.NotDoneReason).
NOT_DONE_REASONS = {
    "refused": QT_TRANSLATE_NOOP("Words", "Patient refused"),
    "off_ward": QT_TRANSLATE_NOOP("Words", "Off the ward"),
    "asleep": QT_TRANSLATE_NOOP("Words", "Asleep, not woken"),
    "unable": QT_TRANSLATE_NOOP("Words", "Unable to measure"),
    "other": QT_TRANSLATE_NOOP("Words", "Other (say why in the note)"),
}

#: Cerebral oedema on imaging (core.records.CerebralEdema).
CEREBRAL_EDEMA = {
    "none": QT_TRANSLATE_NOOP("Words", "No oedema"),
    "focal": QT_TRANSLATE_NOOP("Words", "Focal oedema"),
    "diffuse": QT_TRANSLATE_NOOP("Words", "Diffuse oedema"),
}

#: Common lab tests (lab_result.test is free text; these are offered first).
LAB_TESTS = {
    "crp": QT_TRANSLATE_NOOP("Words", "CRP"),
    "ferritin": QT_TRANSLATE_NOOP("Words", "Ferritin"),
    "fibrinogen": QT_TRANSLATE_NOOP("Words", "Fibrinogen"),
    "wbc": QT_TRANSLATE_NOOP("Words", "White cells"),
    "anc": QT_TRANSLATE_NOOP("Words", "Neutrophils (ANC)"),
    "platelets": QT_TRANSLATE_NOOP("Words", "Platelets"),
    "hemoglobin": QT_TRANSLATE_NOOP("Words", "Haemoglobin"),
    "alt": QT_TRANSLATE_NOOP("Words", "ALT"),
}

STOP_REASONS = {
    "crs": QT_TRANSLATE_NOOP("Words", "CRS"),
    "neurotoxicity": QT_TRANSLATE_NOOP("Words", "neurotoxicity"),
    "other_adverse_event": QT_TRANSLATE_NOOP("Words", "other adverse event"),
    "technical": QT_TRANSLATE_NOOP("Words", "technical"),
    "cycle_complete": QT_TRANSLATE_NOOP("Words", "cycle complete"),
}

DRUGS = {
    "dexamethasone": QT_TRANSLATE_NOOP("Words", "dexamethasone"),
    "prednisone": QT_TRANSLATE_NOOP("Words", "prednisone"),
    "methylprednisolone": QT_TRANSLATE_NOOP("Words", "methylprednisolone"),
    "tocilizumab": QT_TRANSLATE_NOOP("Words", "tocilizumab"),
    "paracetamol": QT_TRANSLATE_NOOP("Words", "paracetamol"),
    "other": QT_TRANSLATE_NOOP("Words", "other drug"),
}

PURPOSES = {
    "premedication": QT_TRANSLATE_NOOP("Words", "premedication"),
    "crs_treatment": QT_TRANSLATE_NOOP("Words", "for CRS"),
    "other": QT_TRANSLATE_NOOP("Words", "other purpose"),
}

#: Timeline events (core.regimen.InfusionEvent.kind) shown as marks.
INFUSION_EVENTS = {
    "bag_changed": QT_TRANSLATE_NOOP("Words", "Bag changed"),
    "dose_step": QT_TRANSLATE_NOOP("Words", "Dose step"),
    "premedication": QT_TRANSLATE_NOOP("Words", "Premedication"),
}

def window_language() -> str:
    """The window's language (the installed translation's locale), one of core's LANGUAGES; English otherwise."""
    language = QLocale().name()[:2]
    return language if language in LANGUAGES else "en"


def span_words(minutes: int) -> str:
    """A protocol duration in the window's language (core's :func:`core.handover_words.span_text`): ``4 h``,
    ``1 h 30 min``, ``5 days`` / ``5 días``."""
    return span_text(minutes, window_language())


def word(table: dict[str, str], code: object) -> str:
    """The translated word for an enumeration value or code (the code itself when the table lacks it)."""
    key = getattr(code, "value", code)
    text = table.get(str(key))
    return Words.tr(text) if text is not None else str(key)


def recommendation_text(rec: Recommendation) -> str:
    """A prompt's full sentence in the window's language, with the grade and the figures the rule took from the
    protocol (core/rule_words.py)."""
    return rec.words.text(window_language())


def recommendation_short(code: str, protocol: Protocol) -> str:
    """The code's own short sentence in the window's language, with the protocol's numbers (the ward list; an
    escalation's answered prompts)."""
    return code_text(code, protocol, window_language())


def guard_text(reason: GuardReason) -> str:
    """Why a start or restart is stopped, in the window's language, with the protocol's grades."""
    return reason.words.text(window_language())


def premedication_reason_text(reason: str, protocol: Protocol) -> str:
    """Why premedication is due, in the window's language, with the protocol's hold length."""
    return premed_reason_text(reason, protocol, window_language())


def management_text(grade: int, sbp_limit: int) -> str:
    """The seed table's management for a CRS grade, in the window's language, with the patient's own hypotension
    limit as its blood-pressure target."""
    return core_management_text(grade, window_language(), sbp_limit=sbp_limit)


INDICATIONS = {
    "relapsed_refractory": QT_TRANSLATE_NOOP("Words", "relapsed/refractory"),
    "mrd_positive": QT_TRANSLATE_NOOP("Words", "MRD-positive"),
    "consolidation": QT_TRANSLATE_NOOP("Words", "consolidation"),
}

SEXES = {
    "female": QT_TRANSLATE_NOOP("Words", "female"),
    "male": QT_TRANSLATE_NOOP("Words", "male"),
    "other": QT_TRANSLATE_NOOP("Words", "other"),
    "unknown": QT_TRANSLATE_NOOP("Words", "sex unknown"),
}

MISSING = {
    "temperature_c": QT_TRANSLATE_NOOP("Words", "temperature"),
    "heart_rate": QT_TRANSLATE_NOOP("Words", "pulse"),
    "respiratory_rate": QT_TRANSLATE_NOOP("Words", "respiration rate"),
    "systolic_bp": QT_TRANSLATE_NOOP("Words", "systolic BP"),
    "spo2_percent": QT_TRANSLATE_NOOP("Words", "SpO2"),
    "oxygen_device": QT_TRANSLATE_NOOP("Words", "oxygen device"),
    "oxygen_flow_l_min": QT_TRANSLATE_NOOP("Words", "oxygen flow"),
    "fio2_percent": QT_TRANSLATE_NOOP("Words", "FiO2"),
    "consciousness": QT_TRANSLATE_NOOP("Words", "consciousness (ACVPU)"),
}

ROLES = {
    "nurse": QT_TRANSLATE_NOOP("Words", "nurse"),
    "clinician": QT_TRANSLATE_NOOP("Words", "clinician"),
    "admin": QT_TRANSLATE_NOOP("Words", "admin"),
}


def column_cell_text(header: str, text: str) -> str:
    """What a screen reader reads for a table cell: the column's title, then the text (a bare "4" in the Bed column
    reads "Bed: 4"); the text alone when it already names its column. Line breaks read as commas."""
    flat = ", ".join(part.strip() for part in text.splitlines() if part.strip())
    return flat if header and header.casefold() in flat.casefold() else f"{header}: {flat}"


# Patient details by field name (the merge preview's differences; core/records.py Patient). Units are added from
# the field's own definition, never typed here.
PATIENT_FIELDS = {
    "name": QT_TRANSLATE_NOOP("Words", "name"),
    "birth_date": QT_TRANSLATE_NOOP("Words", "date of birth"),
    "sex": QT_TRANSLATE_NOOP("Words", "sex"),
    "weight_kg": QT_TRANSLATE_NOOP("Words", "weight"),
    "height_cm": QT_TRANSLATE_NOOP("Words", "height"),
    "indication": QT_TRANSLATE_NOOP("Words", "indication"),
    "diagnosis": QT_TRANSLATE_NOOP("Words", "diagnosis"),
    "ward": QT_TRANSLATE_NOOP("Words", "ward"),
    "bed": QT_TRANSLATE_NOOP("Words", "bed"),
    "marrow_blasts_percent": QT_TRANSLATE_NOOP("Words", "marrow blasts"),
    "bsa_m2": QT_TRANSLATE_NOOP("Words", "body surface area"),
    "news2_scale": QT_TRANSLATE_NOOP("Words", "NEWS2 SpO2 scale"),
    "demo": QT_TRANSLATE_NOOP("Words", "synthetic demo patient"),
}
#: The patient fields whose values are codes shown through a table of words.
PATIENT_VALUE_WORDS = {"sex": SEXES, "indication": INDICATIONS}


def patient_field_text(field: str) -> str:
    """The word for a patient field, with its unit from core's field definition (``weight (kg)``)."""
    from core.records import Patient, field_limits

    unit = field_limits(Patient, field).get("unit", "") if field in Patient.model_fields else ""
    label = word(PATIENT_FIELDS, field)
    return f"{label} ({unit})" if unit else label


def patient_value_text(field: str, value: object) -> str:
    """A patient field's value in words (a code through its table; "–" for none)."""
    if value is None:
        return "–"
    table = PATIENT_VALUE_WORDS.get(field)
    return word(table, value) if table else str(value)

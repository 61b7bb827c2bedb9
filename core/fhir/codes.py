"""Every code and system the FHIR mapping uses, in one place (docs/INSTALL.md "Sending to the EHR" has the table).

LOINC and UCUM for the vital signs as the FHIR R4 vital-signs profiles ask; SNOMED CT for NEWS2 and ACVPU; ATC for the
medicines; the product's own code system for what has no standard code (the CRS grade per scale, ICANS and the ICE
score, the NEWS2 sub-scores, stop reasons). The local codes are for the clinical lead to sign off.
"""

from __future__ import annotations

#: The product's namespace for its own identifier systems and code system.
PRODUCT_BASE = "https://crs-bedside.org/fhir"
#: Every resource made from a record carries the record's UUID under this system (never the entry's urn:uuid).
RECORD_ID_SYSTEM = f"{PRODUCT_BASE}/sid/record-id"
#: The ward's MRN.
MRN_SYSTEM = f"{PRODUCT_BASE}/sid/mrn"
#: The product's own CodeSystem (scores, grades and reasons with no standard code).
LOCAL_SYSTEM = f"{PRODUCT_BASE}/CodeSystem/crs-bedside"

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
ATC = "http://www.whocc.no/atc"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
V2_IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
PROVENANCE_PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
PROFILE = "http://hl7.org/fhir/StructureDefinition/"

#: Vital signs: record field -> (LOINC code, display, UCUM unit, base R4 profile or None).
VITAL_SIGNS = {
    "temperature_c": ("8310-5", "Body temperature", "Cel", "bodytemp"),
    "heart_rate": ("8867-4", "Heart rate", "/min", "heartrate"),
    "respiratory_rate": ("9279-1", "Respiratory rate", "/min", "resprate"),
    "oxygen_flow_l_min": ("3151-8", "Inhaled oxygen flow rate", "L/min", "vitalsigns"),
    "fio2_percent": ("3150-0", "Inhaled oxygen concentration", "%", "vitalsigns"),
}
BP_PANEL = ("85354-9", "Blood pressure panel with all children optional")
SYSTOLIC = ("8480-6", "Systolic blood pressure")
DIASTOLIC = ("8462-4", "Diastolic blood pressure")
SPO2 = ("2708-6", "Oxygen saturation in Arterial blood")
SPO2_PULSE_OXIMETRY = ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry")

#: NEWS2 total score (SNOMED CT UK; NEWS2 has no LOINC code: 88330-6 is not it).
NEWS2 = ("1104051000000101", "Royal College of Physicians National Early Warning Score 2 (NEWS2)")
#: NEWS2 sub-scores, in the chart's order: the NEWS2 parameter -> local code.
NEWS2_SUBSCORES = {
    "respiratory_rate": ("news2-respiration-rate-score", "NEWS2 respiration rate score"),
    "spo2_percent": ("news2-spo2-score", "NEWS2 SpO2 score"),
    "oxygen_device": ("news2-air-or-oxygen-score", "NEWS2 air or oxygen score"),
    "systolic_bp": ("news2-systolic-bp-score", "NEWS2 systolic blood pressure score"),
    "heart_rate": ("news2-pulse-score", "NEWS2 pulse score"),
    "consciousness": ("news2-consciousness-score", "NEWS2 consciousness score"),
    "temperature_c": ("news2-temperature-score", "NEWS2 temperature score"),
}
#: ACVPU (SNOMED CT UK) and its answers.
ACVPU = ("1104441000000107", "ACVPU (Alert Confusion Voice Pain Unresponsive) scale score")
ACVPU_ANSWERS = {
    "alert": ("248234008", "Mentally alert"),
    "new_confusion": ("286933003", "Confusional state"),
    "voice": ("300202002", "Responds to voice"),
    "pain": ("450847001", "Responds to pain"),
    "unresponsive": ("422768004", "Unresponsive"),
}

#: CRS grade, one Observation per scale: scale -> (code, display, method code, method display).
CRS_SCALES = {
    "astct_2019": ("crs-grade-astct-2019", "CRS grade (ASTCT 2019 consensus)", "astct-2019",
                   "ASTCT 2019 consensus grading (Lee et al.)"),
    "ctcae_v5": ("crs-grade-ctcae-v5", "CRS grade (CTCAE v5.0)", "ctcae-v5", "CTCAE version 5.0"),
}
ICANS = ("icans-grade-astct-2019", "ICANS grade (ASTCT 2019 consensus)")
ICE_SCORE = ("ice-score", "Immune effector cell-associated encephalopathy (ICE) score")

#: Medicines: blinatumomab, the drugs of ``medication_given`` and the vasopressors (ATC).
BLINATUMOMAB = ("L01FX07", "blinatumomab")
DRUGS = {
    "dexamethasone": ("H02AB02", "dexamethasone"),
    "prednisone": ("H02AB07", "prednisone"),
    "methylprednisolone": ("H02AB04", "methylprednisolone"),
    "tocilizumab": ("L04AC07", "tocilizumab"),
    "paracetamol": ("N02BE01", "paracetamol"),
}
VASOPRESSORS = {
    "norepinephrine": ("C01CA03", "norepinephrine"),
    "epinephrine": ("C01CA24", "epinephrine"),
    "phenylephrine": ("C01CA06", "phenylephrine"),
    "dopamine": ("C01CA04", "dopamine"),
    "vasopressin": ("H01BA01", "vasopressin (argipressin)"),
    "angiotensin_ii": ("C01CX09", "angiotensin II"),
}
#: Why a medicine was given (``medication_given.purpose``), local codes.
PURPOSES = {
    "premedication": ("premedication", "Premedication before a blinatumomab start or restart"),
    "crs_treatment": ("crs-treatment", "Treatment of cytokine release syndrome"),
    "other": ("other-purpose", "Other purpose"),
}
#: Why an infusion segment ended other than by the next bag (``statusReason``), local codes.
STOP_REASONS = {
    "crs": ("stopped-crs", "Interrupted for cytokine release syndrome"),
    "neurotoxicity": ("stopped-neurotoxicity", "Interrupted for neurotoxicity"),
    "other_adverse_event": ("stopped-other-adverse-event", "Interrupted for another adverse event"),
    "technical": ("stopped-technical", "Interrupted for a technical reason"),
    "cycle_complete": ("cycle-complete", "Cycle complete"),
    "therapy_discontinued": ("therapy-discontinued", "Therapy discontinued"),
}
#: Record types with no clinical standard code: local Observation codes.
LOCAL_OBSERVATIONS = {
    "symptom": ("symptom", "Symptom reported or observed"),
    "note": ("nursing-note", "Nursing note"),
    "grade_confirmed": ("crs-grade-confirmed", "CRS grade confirmed or overridden by a clinician"),
    "crs_episode_closed": ("crs-episode-closed", "CRS episode closed by a clinician"),
    "discharged": ("discharged", "Discharged from the ward"),
    "lab_result": ("lab-result", "Laboratory result"),
}
VITAL_SIGNS_PANEL = ("85353-1", "Vital signs, weight, height, head circumference, oxygen saturation and BMI panel")
GENDER = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}

"""The closed sets of values of the records and the patient (oxygen devices, consciousness, drugs, stop reasons,
...): StrEnums, imported from :mod:`core.records` too.
"""

from __future__ import annotations

import enum


class OxygenDevice(enum.StrEnum):
    """Oxygen delivery devices (INTERFACE.md; ASTCT hypoxia tiers in R-AST-5)."""

    ROOM_AIR = "room_air"
    BLOW_BY = "blow_by"
    NASAL_CANNULA = "nasal_cannula"
    HIGH_FLOW_NASAL_CANNULA = "high_flow_nasal_cannula"
    SIMPLE_MASK = "simple_mask"
    VENTURI_MASK = "venturi_mask"
    NON_REBREATHER = "non_rebreather"
    CPAP = "cpap"
    BIPAP = "bipap"
    INVASIVE_VENTILATION = "invasive_ventilation"


#: FiO2 of room air (%): the only FiO2 a set of vitals on room air may have.
ROOM_AIR_FIO2 = 21
#: Devices that deliver oxygen by a flow: a flow given with one of them is above 0 L/min.
FLOW_DEVICES = frozenset({OxygenDevice.BLOW_BY, OxygenDevice.NASAL_CANNULA, OxygenDevice.HIGH_FLOW_NASAL_CANNULA,
                          OxygenDevice.SIMPLE_MASK, OxygenDevice.VENTURI_MASK, OxygenDevice.NON_REBREATHER})
POSITIVE_PRESSURE_DEVICES = frozenset({OxygenDevice.CPAP, OxygenDevice.BIPAP, OxygenDevice.INVASIVE_VENTILATION})
#: Devices that set an FiO2 the nurse can read off the device (D5: the app asks for it).
FIO2_SETTING_DEVICES = frozenset({OxygenDevice.VENTURI_MASK, OxygenDevice.HIGH_FLOW_NASAL_CANNULA})


class Consciousness(enum.StrEnum):
    """ACVPU (NEWS2)."""

    ALERT = "alert"
    NEW_CONFUSION = "new_confusion"
    VOICE = "voice"
    PAIN = "pain"
    UNRESPONSIVE = "unresponsive"


class Vasopressor(enum.StrEnum):
    """Vasopressor agents (R-AST-4, R-CTC-3/4)."""

    NOREPINEPHRINE = "norepinephrine"
    EPINEPHRINE = "epinephrine"
    PHENYLEPHRINE = "phenylephrine"
    DOPAMINE = "dopamine"
    VASOPRESSIN = "vasopressin"
    ANGIOTENSIN_II = "angiotensin_ii"


class Indication(enum.StrEnum):
    """Blinatumomab indications (RULES.md §3.1)."""

    RELAPSED_REFRACTORY = "relapsed_refractory"
    MRD_POSITIVE = "mrd_positive"
    CONSOLIDATION = "consolidation"


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class StopReason(enum.StrEnum):
    """Why an infusion was stopped (D10: every reason but cycle_complete opens a hold)."""

    CRS = "crs"
    NEUROTOXICITY = "neurotoxicity"
    OTHER_ADVERSE_EVENT = "other_adverse_event"
    TECHNICAL = "technical"
    CYCLE_COMPLETE = "cycle_complete"


class Drug(enum.StrEnum):
    DEXAMETHASONE = "dexamethasone"
    PREDNISONE = "prednisone"
    METHYLPREDNISOLONE = "methylprednisolone"
    TOCILIZUMAB = "tocilizumab"
    PARACETAMOL = "paracetamol"
    OTHER = "other"


CORTICOSTEROIDS = frozenset({Drug.DEXAMETHASONE, Drug.PREDNISONE, Drug.METHYLPREDNISOLONE})


class Purpose(enum.StrEnum):
    PREMEDICATION = "premedication"
    CRS_TREATMENT = "crs_treatment"
    OTHER = "other"


class Arousal(enum.StrEnum):
    """Level of consciousness for ICANS (R-ICN-2)."""

    AWAKE = "awake"
    AWAKENS_SPONTANEOUSLY = "awakens_spontaneously"  # drowsy, wakes without a stimulus: ICANS grade 1 (R-ICN-2)
    VOICE = "voice"
    TOUCH = "touch"
    UNAROUSABLE = "unarousable"


class Seizure(enum.StrEnum):
    """Seizure finding for ICANS (R-ICN-3)."""

    NONE = "none"
    RESOLVED = "resolved"
    PROLONGED_OR_REPEATED = "prolonged_or_repeated"


class CerebralEdema(enum.StrEnum):
    """Raised ICP / cerebral oedema on imaging (R-ICN-4)."""

    NONE = "none"
    FOCAL = "focal"
    DIFFUSE = "diffuse"


class EscalatedTo(enum.StrEnum):
    """Whom the nurse called about a prompt (INTERFACE.md Additions, ``escalation``)."""

    PRESCRIBER = "prescriber"
    NURSE_IN_CHARGE = "nurse_in_charge"
    OUTREACH = "outreach"
    ICU = "icu"
    OTHER = "other"


class EscalationResponse(enum.StrEnum):
    """What the person called did (INTERFACE.md Additions, ``escalation``)."""

    ATTENDING = "attending"
    ADVICE_GIVEN = "advice_given"
    NO_RESPONSE = "no_response"
    DECLINED = "declined"


class NotDoneReason(enum.StrEnum):
    """Why a set of observations was not done (INTERFACE.md Additions, ``observations_not_done``)."""

    REFUSED = "refused"
    OFF_WARD = "off_ward"
    ASLEEP = "asleep"
    UNABLE = "unable"
    OTHER = "other"

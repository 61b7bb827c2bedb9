"""The ward protocol: every site-tunable threshold, loaded from a versioned TOML file and validated (D3).

Every derived result carries the protocol's id and version (see :meth:`Protocol.stamp`).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from core.errors import InputError
from core.paths import resource
from core.validation_messages import format_validation_error


class _Section(BaseModel):
    """A section of the protocol file. No setting has a default here: the shipped files write every one out, and a
    site file that leaves one out is refused at start-up with its name, so a site never runs on a value it did not
    choose (the files are the only source of thresholds)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Grading(_Section):
    scales: Literal["both", "ctcae_v5", "astct_2019"]
    fever_c: float = Field(ge=37.0, le=40.0)
    hypotension_sbp_below: int = Field(ge=60, le=120)
    paediatric_max_age_years: int = Field(ge=0, le=17)
    low_flow_max_l_min: float = Field(ge=1.0, le=15.0)
    fio2_high_percent: int = Field(ge=22, le=100)
    fluid_window_hours: float = Field(gt=0, le=48)
    vitals_lookback_hours: float = Field(gt=0, le=24)
    episode_close_hours: float = Field(gt=0, le=168)

    @model_validator(mode="after")
    def _lookback_within_episode(self) -> Grading:
        # D9 / D11: a reading still in force must not outlive the episode it belongs to.
        if self.vitals_lookback_hours > self.episode_close_hours:
            raise ValueError(
                f"vitals_lookback_hours: {self.vitals_lookback_hours:g} is above episode_close_hours "
                f"{self.episode_close_hours:g} (it must be at most episode_close_hours)")
        return self


class Actions(_Section):
    interrupt_crs_grade: int = Field(ge=1, le=5)
    discontinue_crs_grade: int = Field(ge=2, le=5)
    recurrence_review_episodes: int = Field(ge=0, le=10, description="0 turns the review off")
    recurrence_min_grade: int = Field(ge=1, le=4)
    emergency_crs_grade: int = Field(ge=1, le=5)

    @model_validator(mode="after")
    def _ordered(self) -> Actions:
        if self.discontinue_crs_grade < self.interrupt_crs_grade:
            raise ValueError(
                f"discontinue_crs_grade: {self.discontinue_crs_grade} is below interrupt_crs_grade "
                f"{self.interrupt_crs_grade} (it must be at least interrupt_crs_grade)")
        return self


class Infusion(_Section):
    premedication_hold_minutes: int = Field(ge=1, le=20160)
    premedication_window_minutes: int = Field(ge=1, le=720)
    new_cycle_hold_minutes: int = Field(ge=60, le=60480)
    discontinuation_hold_minutes: int = Field(ge=60, le=120960)
    boundary_warning_minutes: int = Field(ge=0, le=1440)
    #: Upcoming hold clocks (premedication on restart, new cycle, discontinuation review) show as countdown badges
    #: on the ward list from this many minutes before they pass.
    clock_warning_minutes: int = Field(ge=0, le=10080)
    cycle_infusion_days: int = Field(ge=1, le=84)
    step_up_after_days: float = Field(gt=0, le=28)
    restart_dose_mcg_per_day: float = Field(gt=0, le=100)
    full_dose_mcg_per_day: float = Field(gt=0, le=100)
    weight_fixed_dose_kg: float = Field(gt=0, le=200)
    restart_dose_mcg_m2_per_day: float = Field(gt=0, le=100)
    full_dose_mcg_m2_per_day: float = Field(gt=0, le=100)
    max_cycles_relapsed_refractory: int = Field(ge=0, le=20)
    max_cycles_mrd_positive: int = Field(ge=0, le=20)
    max_cycles_consolidation: int = Field(ge=0, le=20)
    inpatient_days_cycle1_relapsed_refractory: int = Field(ge=0, le=28)
    inpatient_days_cycle1_other: int = Field(ge=0, le=28)
    inpatient_days_cycle2: int = Field(ge=0, le=28)
    restart_prompt_hours: float = Field(gt=0, le=168)
    premedication_rule: Literal["protocol", "label"]
    dose_tolerance_percent: float = Field(ge=0, le=50)
    adult_age_years: int = Field(ge=1, le=21)
    premedication_dexamethasone_mg: float = Field(gt=0, le=100)
    premedication_prednisone_mg: float = Field(gt=0, le=500)
    premedication_dexamethasone_mg_m2: float = Field(gt=0, le=50)
    premedication_dexamethasone_max_mg: float = Field(gt=0, le=100)
    neuro_restart_after_minutes: int = Field(ge=0, le=20160)
    neuro_resolution_limit_minutes: int = Field(ge=60, le=60480)

    @model_validator(mode="after")
    def _ordered(self) -> Infusion:
        if self.discontinuation_hold_minutes < self.new_cycle_hold_minutes:
            raise ValueError(
                f"discontinuation_hold_minutes: {self.discontinuation_hold_minutes} is below "
                f"new_cycle_hold_minutes {self.new_cycle_hold_minutes} (it must be at least new_cycle_hold_minutes)")
        return self


class Neuro(_Section):
    seizures_discontinue: int = Field(ge=1, le=10)
    interrupt_icans_grade: int = Field(ge=1, le=4)
    discontinue_icans_grade: int = Field(ge=1, le=4)


class Labs(_Section):
    """R-LAB-1 and R-LAB-2 thresholds ("configurable", RULES.md §8)."""

    tocilizumab_crp_days: float = Field(ge=0, le=90)
    ferritin_hlh_ug_l: float = Field(gt=0, le=1_000_000)
    ferritin_doubling_hours: float = Field(gt=0, le=168)
    fibrinogen_low_g_l: float = Field(gt=0, le=10)
    platelets_low_10e9_l: float = Field(gt=0, le=1000)
    anc_low_10e9_l: float = Field(gt=0, le=20)
    high_tumor_burden_blasts_percent: float = Field(gt=0, le=100)


class Observations(_Section):
    news2_zero_minutes: int = Field(ge=5, le=1440)
    news2_low_minutes: int = Field(ge=5, le=1440)
    news2_red_minutes: int = Field(ge=5, le=1440)
    news2_medium_minutes: int = Field(ge=5, le=1440)
    news2_high_minutes: int = Field(ge=5, le=1440)
    crs_grade1_minutes: int = Field(ge=5, le=1440)
    crs_grade2_plus_minutes: int = Field(ge=5, le=1440)


class Escalation(_Section):
    """Closing the loop on prompts (INTERFACE.md Additions): a prompt still pending this long escalates to the nurse in
    charge (``escalate_unacknowledged``). No default in code: every protocol file states it."""

    unacknowledged_minutes: int = Field(ge=1, le=1440)
    #: An answer holds this long: a prompt still present after it is asked again (an old call does not silence it).
    acknowledgement_holds_hours: float = Field(ge=1, le=168)


class Protocol(BaseModel):
    """A validated ward protocol. Immutable; its id and version travel with every result (D3)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")
    version: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=200)
    grading: Grading
    actions: Actions
    infusion: Infusion
    neuro: Neuro
    labs: Labs
    observations: Observations
    escalation: Escalation

    def stamp(self) -> dict[str, str]:
        """``{"id": ..., "version": ...}`` as carried by every result."""
        return {"id": self.id, "version": self.version}


SHIPPED_PROTOCOLS = ("default", "label")


def load_protocol_text(text: str, source: str = "protocol") -> Protocol:
    """Parse and validate protocol TOML.

    Raises:
        InputError: naming the file, the setting, the value and the limit.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{source}: not valid TOML ({exc})") from None
    try:
        return Protocol.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{source}: {_setting_error(exc)}") from None


_SECTIONS: dict[str, type[BaseModel]] = {
    "grading": Grading, "actions": Actions, "infusion": Infusion, "neuro": Neuro, "labs": Labs,
    "observations": Observations, "escalation": Escalation,
}


def _setting_error(exc: ValidationError) -> str:
    """``section.setting: value and limit`` for the first problem of a protocol file."""
    errors = exc.errors(include_url=False)
    missing = [".".join(str(part) for part in e["loc"]) for e in errors if e["type"] == "missing"]
    if missing and len(missing) == len(errors):
        # D3: no setting has a default in the code; name every one the file leaves out.
        return (f"{', '.join(missing)}: missing from the protocol file (every setting must be written out, as in "
                f"the shipped default.toml)")
    error = sorted(errors, key=lambda e: e["type"] == "missing")[0]
    loc = [str(part) for part in error["loc"]]
    section = loc[0] if loc and loc[0] in _SECTIONS else ""
    message = format_validation_error(exc, _SECTIONS.get(section, Protocol), "")
    if section and not message.startswith(f"{section}"):
        # A cross-setting check inside a section reports "setting: ..." without the section.
        return f"{section}.{message}"
    if section and message.startswith(f"{section}: ") and ": " in message[len(section) + 2:]:
        return f"{section}.{message[len(section) + 2:]}"
    return message


def load_protocol(path: Path) -> Protocol:
    """Load a protocol file from disk (see :func:`load_protocol_text`)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the protocol file ({exc.strerror})") from None
    return load_protocol_text(text, str(path))


@lru_cache(maxsize=8)
def shipped_protocol(protocol_id: str = "default") -> Protocol:
    """One of the protocols shipped in resources/protocols (``default`` or ``label``)."""
    if protocol_id not in SHIPPED_PROTOCOLS:
        raise InputError(f"protocol: {protocol_id!r} is not a shipped protocol ({', '.join(SHIPPED_PROTOCOLS)})")
    return load_protocol(resource("protocols", f"{protocol_id}.toml"))


def resolve_protocol(name_or_path: str | None) -> Protocol:
    """A shipped protocol by id, or a protocol file by path; the default protocol when ``None``."""
    if not name_or_path:
        return shipped_protocol("default")
    if name_or_path in SHIPPED_PROTOCOLS:
        return shipped_protocol(name_or_path)
    return load_protocol(Path(name_or_path))

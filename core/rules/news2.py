"""NEWS2 (Royal College of Physicians 2017), RULES.md §4: scores, risk band and the red parameter.

NEWS2 © Royal College of Physicians 2017, reproduced with acknowledgement; the official chart is not restyled.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.protocol import Protocol
from core.records import Consciousness, OxygenDevice, VitalsFields

LOW = "low"
LOW_MEDIUM = "low_medium"
MEDIUM = "medium"
HIGH = "high"

PARAMETERS = ("respiratory_rate", "spo2_percent", "oxygen_device", "systolic_bp", "heart_rate", "consciousness",
              "temperature_c")

#: NEWS2 is designed for adults aged 16 and over (RULES.md §4.1).
MIN_AGE_YEARS = 16


@dataclass(frozen=True)
class News2:
    """A NEWS2 result. ``score`` and ``risk`` are ``None`` unless every parameter was present (R-NEWS-1)."""

    score: int | None
    complete: bool
    risk: str | None
    red_parameter: bool
    parameter_scores: dict[str, int]
    missing: tuple[str, ...]
    scale: int = 1
    not_applicable: str | None = None


def respiratory_rate_score(rr: int) -> int:
    if rr <= 8:
        return 3
    if rr <= 11:
        return 1
    if rr <= 20:
        return 0
    if rr <= 24:
        return 2
    return 3


def spo2_scale1_score(spo2: int) -> int:
    if spo2 <= 91:
        return 3
    if spo2 <= 93:
        return 2
    if spo2 <= 95:
        return 1
    return 0


def spo2_scale2_score(spo2: int, on_oxygen: bool) -> int:
    """Scale 2 (hypercapnic respiratory failure, target 88–92 %): high saturations on oxygen score."""
    if spo2 <= 83:
        return 3
    if spo2 <= 85:
        return 2
    if spo2 <= 87:
        return 1
    if spo2 <= 92 or not on_oxygen:
        return 0
    if spo2 <= 94:
        return 1
    if spo2 <= 96:
        return 2
    return 3


def systolic_bp_score(sbp: int) -> int:
    if sbp <= 90:
        return 3
    if sbp <= 100:
        return 2
    if sbp <= 110:
        return 1
    if sbp <= 219:
        return 0
    return 3


def pulse_score(hr: int) -> int:
    if hr <= 40:
        return 3
    if hr <= 50:
        return 1
    if hr <= 90:
        return 0
    if hr <= 110:
        return 1
    if hr <= 130:
        return 2
    return 3


def consciousness_score(level: Consciousness) -> int:
    return 0 if level is Consciousness.ALERT else 3


def temperature_score(t: float) -> int:
    """Continuous intervals with no gaps (RULES.md §4.1)."""
    if t <= 35.0:
        return 3
    if t <= 36.0:
        return 1
    if t <= 38.0:
        return 0
    if t <= 39.0:
        return 1
    return 2


def risk_band(score: int, red_parameter: bool) -> str:
    """RULES.md §4.2: >= 7 high; 5–6 medium; a single red parameter low-medium; otherwise low."""
    if score >= 7:
        return HIGH
    if score >= 5:
        return MEDIUM
    if red_parameter:
        return LOW_MEDIUM
    return LOW


def news2(
    *, respiratory_rate: int | None, spo2_percent: int | None, oxygen_device: OxygenDevice | None,
    systolic_bp: int | None, heart_rate: int | None, consciousness: Consciousness | None,
    temperature_c: float | None, scale: int = 1, age_years: int | None = None,
) -> News2:
    """Score one observation set (R-NEWS-1: no score unless the set is complete; nothing carried forward)."""
    if age_years is not None and age_years < MIN_AGE_YEARS:
        return News2(None, False, None, False, {}, (), scale, not_applicable="under_16")
    values = {
        "respiratory_rate": respiratory_rate, "spo2_percent": spo2_percent, "oxygen_device": oxygen_device,
        "systolic_bp": systolic_bp, "heart_rate": heart_rate, "consciousness": consciousness,
        "temperature_c": temperature_c,
    }
    on_oxygen = oxygen_device is not None and oxygen_device is not OxygenDevice.ROOM_AIR
    scores: dict[str, int] = {}
    if respiratory_rate is not None:
        scores["respiratory_rate"] = respiratory_rate_score(respiratory_rate)
    if spo2_percent is not None and (scale == 1 or oxygen_device is not None):
        scores["spo2_percent"] = (spo2_scale1_score(spo2_percent) if scale == 1
                                  else spo2_scale2_score(spo2_percent, on_oxygen))
    if oxygen_device is not None:
        scores["oxygen_device"] = 2 if on_oxygen else 0  # no comfort exception in NEWS2 (V43)
    if systolic_bp is not None:
        scores["systolic_bp"] = systolic_bp_score(systolic_bp)
    if heart_rate is not None:
        scores["heart_rate"] = pulse_score(heart_rate)
    if consciousness is not None:
        scores["consciousness"] = consciousness_score(consciousness)
    if temperature_c is not None:
        scores["temperature_c"] = temperature_score(temperature_c)
    missing = tuple(name for name in PARAMETERS if values[name] is None)
    red = any(score == 3 for score in scores.values())
    if missing:
        return News2(None, False, None, red, scores, missing, scale)
    total = sum(scores.values())
    return News2(total, True, risk_band(total, red), red, scores, (), scale)


def news2_of(values: VitalsFields | None, *, scale: int = 1, age_years: int | None = None) -> News2:
    """:func:`news2` of one set of vital signs (a recorded set or a ``grade`` assessment); ``None``: no set."""
    v = values
    return news2(
        respiratory_rate=v.respiratory_rate if v else None, spo2_percent=v.spo2_percent if v else None,
        oxygen_device=v.oxygen_device if v else None, systolic_bp=v.systolic_bp if v else None,
        heart_rate=v.heart_rate if v else None, consciousness=v.consciousness if v else None,
        temperature_c=v.temperature_c if v else None, scale=scale, age_years=age_years,
    )


def observation_interval(crs_grade: int, score: News2, icans_grade: int | None, protocol: Protocol) -> int:
    """Minimum observation frequency in minutes: the shortest of the NEWS2 risk band's and the CRS or ICANS
    grade's (RULES.md §4.2, the protocol's ``[observations]``)."""
    o = protocol.observations
    options = [o.news2_zero_minutes]
    if score.complete and score.score is not None:
        band = {HIGH: o.news2_high_minutes, MEDIUM: o.news2_medium_minutes, LOW_MEDIUM: o.news2_red_minutes}
        if score.risk in band:
            options.append(band[score.risk])
        elif score.score >= 1:
            options.append(o.news2_low_minutes)
    elif score.red_parameter:
        options.append(o.news2_red_minutes)
    else:
        options.append(o.news2_low_minutes)  # incomplete set: do not relax to 12-hourly
    if crs_grade >= 2 or (icans_grade or 0) >= 2:
        options.append(o.crs_grade2_plus_minutes)
    elif crs_grade == 1 or (icans_grade or 0) == 1:
        options.append(o.crs_grade1_minutes)
    return min(options)

"""The ``grade`` command's grading of one assessment, without a file (INTERFACE.md "Grade result")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel

from core.errors import InputError
from core.protocol import Protocol
from core.records import FIO2_SETTING_DEVICES, Assessment, validate_strict
from core.rule_words import management_text
from core.rules.crs import CrsInput, grade_crs, hypotension_sbp_limit
from core.rules.guidance import assessment_recommendations, differential, merge
from core.rules.news2 import news2_of
from core.rules.status import status_level
from core.strict_input import check_input_value


def grade_assessment(data: Any, protocol: Protocol) -> dict[str, Any]:
    """Grade one assessment (the ``grade`` command): INTERFACE.md "Grade result". Touches no database.

    The input is an INTERFACE.md "Assessment"; an optional ``at`` (ISO 8601 with a UTC offset) is echoed back. The
    result has the INTERFACE.md fields plus: ``scales_used``, ``astct_2019.at_least``, the NEWS2 parameter scores,
    ``flags``, ``management`` (the seed table, RULES.md §0.1), ``status_level`` (RULES.md §9, without ICANS, which
    an assessment does not carry) and ``differential`` (RULES.md §8).

    Raises:
        InputError: naming the field, the value and the limit.
    """
    if not isinstance(data, dict):
        raise InputError(f"assessment: expected a JSON object, got {type(data).__name__}")
    check_input_value(data)
    fields = dict(data)
    at = _assessment_time(fields.pop("at", None))
    a = validate_strict(Assessment, fields)
    crs = grade_crs(CrsInput(
        temperature_c=a.temperature_c, systolic_bp=a.systolic_bp, oxygen_device=a.oxygen_device,
        oxygen_flow_l_min=a.oxygen_flow_l_min, fio2_percent=a.fio2_percent,
        oxygen_for_comfort_only=bool(a.oxygen_for_comfort_only), fluid_bolus_given=bool(a.fluid_bolus_given),
        vasopressors=frozenset(a.vasopressors or ()), life_threatening=bool(a.life_threatening),
        fever_other_cause=bool(a.fever_other_cause), crs_episode_open=bool(a.crs_episode_open),
        crs_treatment_given=bool(a.crs_treatment_given), age_years=a.age_years,
    ), protocol)
    # The fold's path (core/fold/answer.py): the same NEWS2, prompts and differential.
    score = news2_of(a, age_years=a.age_years)
    recs = merge(assessment_recommendations(crs, score, protocol,
                                            fio2_device_sets_it=a.oxygen_device in FIO2_SETTING_DEVICES))
    missing = list(dict.fromkeys(list(crs.missing) + list(score.missing)))
    level = status_level(crs_grade=crs.grade, news2=score)
    result: dict[str, Any] = {"at": at.isoformat()} if at is not None else {}
    result.update({
        "crs_grade": crs.grade,
        "scales": {
            "ctcae_v5": {"grade": crs.ctcae.grade, "at_least": crs.ctcae.at_least, "rules": list(crs.ctcae.rules)},
            "astct_2019": {"grade": crs.astct.grade, "at_least": crs.astct.at_least, "rules": list(crs.astct.rules)},
        },
        "scales_differ": crs.scales_differ,
        "scales_used": crs.scales_used,
        "news2": {"score": score.score, "complete": score.complete, "risk": score.risk,
                  "red_parameter": score.red_parameter, "parameter_scores": score.parameter_scores,
                  "not_applicable": score.not_applicable},
        "flags": list(crs.flags),
        "management": management_text(crs.grade, sbp_limit=hypotension_sbp_limit(a.age_years, protocol)),
        "recommendations": [r.to_json() for r in recs],
        "status_level": level.to_json(),
        "differential": list(differential(crs.grade, crs.flags)),
        "missing": missing,
        "protocol": protocol.stamp(),
    })
    return result


class _AssessmentTime(BaseModel):
    at: AwareDatetime


def _assessment_time(value: Any) -> datetime | None:
    """The optional ``at`` of a graded assessment: ISO 8601 with a UTC offset (INTERFACE.md)."""
    if value is None:
        return None
    return validate_strict(_AssessmentTime, {"at": value}).at

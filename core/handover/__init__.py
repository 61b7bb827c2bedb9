"""The handover summary (RULES.md §7): I-PASS sections with SBAR content, built as data, then as HTML. No Qt.

Two steps (ARCHITECTURE.md, STYLE.md practice 13): :func:`build_handover` folds every patient's records into the
structured content of the printed handover (pure data: grades, scores, times, rule ids); :func:`patient_html`
and :func:`ward_html` turn that content into HTML through Jinja2 templates in ``resources/templates``. gui/printing
lays the HTML out on pages, paints the page header and footer, and draws the 24-hour trend strip from
:class:`TrendStrip`.

The package, by job: :mod:`core.handover.patient` gathers the facts of one patient from the fold,
:mod:`core.handover.plan` writes the to-do list and the if/then contingencies, :mod:`core.handover.severity` suggests
the illness severity, :mod:`core.handover.ward` builds the document and the ward summary, :mod:`core.handover.content`
holds the content's dataclasses and :mod:`core.handover.html` turns them into HTML. Everything is imported from
``core.handover``.
"""

from core.handover.content import (
    DEMO_MARK,
    DISCLAIMER,
    SCALES_TEXT,
    TREND_HOURS,
    Action,
    Circulation,
    Contingency,
    CrsSummary,
    DocumentInfo,
    Given,
    Handover,
    HoldLine,
    IcansSummary,
    InfusionSummary,
    LabLine,
    News2Summary,
    PatientHandover,
    RoundLine,
    Severity,
    TimedValue,
    TrendPoint,
    TrendSeries,
    TrendStrip,
    VitalSet,
    WardLine,
)
from core.handover.html import (
    PageFrame,
    page_frame,
    patient_html,
    ward_html,
)
from core.handover.patient import (
    TREND_LABS,
    TREND_SERIES,
    TREND_TEXT_POINTS,
    _flag_text,
    build_patient_handover,
    trend_in_unit,
)
from core.handover.plan import ICE_MIN_AGE_YEARS
from core.handover.severity import (
    SEVERITIES,
    STABLE,
    UNSTABLE,
    UNSTABLE_MIN_GRADE,
    WATCHER,
    WATCHER_MIN_GRADE,
    severity_rule_text,
    suggest_severity,
)
from core.handover.ward import (
    WARD_PROMPTS,
    apply_severities,
    build_handover,
    ward_lines,
)
from core.rule_words import premed_reason_text

__all__ = [
    "DEMO_MARK",
    "DISCLAIMER",
    "ICE_MIN_AGE_YEARS",
    "SCALES_TEXT",
    "SEVERITIES",
    "STABLE",
    "TREND_HOURS",
    "TREND_LABS",
    "TREND_SERIES",
    "TREND_TEXT_POINTS",
    "UNSTABLE",
    "UNSTABLE_MIN_GRADE",
    "WARD_PROMPTS",
    "WATCHER",
    "WATCHER_MIN_GRADE",
    "Action",
    "Circulation",
    "Contingency",
    "CrsSummary",
    "DocumentInfo",
    "Given",
    "Handover",
    "HoldLine",
    "IcansSummary",
    "InfusionSummary",
    "LabLine",
    "News2Summary",
    "PageFrame",
    "PatientHandover",
    "RoundLine",
    "Severity",
    "TimedValue",
    "TrendPoint",
    "TrendSeries",
    "TrendStrip",
    "VitalSet",
    "WardLine",
    "_flag_text",
    "apply_severities",
    "build_handover",
    "build_patient_handover",
    "page_frame",
    "patient_html",
    "premed_reason_text",
    "severity_rule_text",
    "suggest_severity",
    "trend_in_unit",
    "ward_html",
    "ward_lines",
]

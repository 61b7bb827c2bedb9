"""The handover's content as HTML, through the Jinja2 templates in ``resources/templates``, and the page frame
(header and footer) gui/printing paints on each page.

Jinja2 is used (rather than ``string.Template``) because the pages need loops, conditionals and escaping of every
value: with ``autoescape`` on, a patient called ``<b>O'Neil & Co</b>`` is printed as written, never as markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache

import jinja2

from core.handover.content import DEMO_MARK, TREND_HOURS, DocumentInfo, Handover, PatientHandover
from core.handover.severity import severity_rule_text
from core.handover_words import (
    date_text,
    date_time_text,
    duration_text,
    name,
    patients,
    temperature_text,
    words,
)
from core.paths import resource
from core.records import (
    Patient,
)


# -- HTML ---------------------------------------------------------------------------------------------------------
def _fmt_time(tz: tzinfo | None, language: str = "en") -> Callable[[datetime | None], str]:
    def fmt(value: datetime | None) -> str:
        if value is None:
            return "—"
        return date_time_text(language, value.astimezone(tz))   # tz None: local time at that moment (DST)
    return fmt


def _until(at: datetime, language: str = "en") -> Callable[[datetime | None], str]:
    """ "in 3 h 20 min" / "2 h ago" relative to the handover moment."""
    w = words(language)

    def until(value: datetime | None) -> str:
        if value is None:
            return ""
        hours = (value - at).total_seconds() / 3600.0
        return w["in"].format(d=duration_text(hours)) if hours >= 0 else w["ago"].format(d=duration_text(-hours))
    return until


def _num(value: float | int | None, fmt: str = "g") -> str:
    if value is None:
        return "—"
    return format(value, fmt)


def _iso_to_local(tz: tzinfo | None, language: str = "en") -> Callable[[str], str]:
    """Rewrite the ISO times inside rule texts (e.g. premedication warnings) in local time."""
    pattern = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:\d{2}|Z)")
    fmt = _fmt_time(tz, language)

    def convert(text: str) -> str:
        return pattern.sub(lambda m: fmt(datetime.fromisoformat(m.group(0).replace("Z", "+00:00"))), text)
    return convert


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resource("templates"))), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["num"] = _num
    env.filters["duration"] = duration_text
    env.globals.update(
        TREND_HOURS=TREND_HOURS, DEMO_MARK=DEMO_MARK)
    return env


def _context(info: DocumentInfo, at: datetime) -> dict[str, object]:
    language = info.language
    return {"info": info, "t": _fmt_time(info.tz, language), "until": _until(at, language),
            "local": _iso_to_local(info.tz, language), "w": words(language),
            "temp": lambda c: temperature_text(c, info.unit), "patients": lambda n: patients(language, n),
            "name": lambda table, code: name(language, table, code), "severity_rule": severity_rule_text(language),
            "premed_reason": lambda reason: name(language, "premed_reason", reason).format(
                hold=info.premedication_hold) if reason else "",
            "day": lambda d: date_text(language, d) if isinstance(d, date) else "—"}


def patient_html(handover: PatientHandover, info: DocumentInfo, trend_url: str | None = None,
                 trend_size: tuple[int, int] = (0, 0)) -> str:
    """The HTML of one patient's handover (template ``handover_patient.html``).

    Args:
        handover: The patient's content.
        info: The document's stamp (time zone, protocol, version).
        trend_url: The image resource that holds the place of the trend strip the GUI draws; ``None`` leaves it out.
        trend_size: The strip's width and height in CSS pixels.
    """
    template = _environment().get_template("handover_patient.html")
    return template.render(h=handover, trend_url=trend_url, trend_size=trend_size, **_context(info, handover.at))


def ward_html(handover: Handover) -> str:
    """The HTML of the one-page ward summary (template ``handover_ward.html``)."""
    template = _environment().get_template("handover_ward.html")
    return template.render(lines=handover.ward_lines, wards=handover.wards, **_context(handover.info,
                                                                                       handover.info.data_up_to))


@dataclass(frozen=True)
class PageFrame:
    """The text of a page's header and footer (gui/printing paints it on every page, with "page x of y")."""

    title: str
    identifier: str
    demo: bool
    footer: tuple[str, ...]
    #: "Page {page} of {pages}" and the demo mark in the handover's language.
    page_words: str = words("en")["page"]
    demo_mark: str = DEMO_MARK


def _offset_text(dt: datetime) -> str:
    offset = dt.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds() // 60))
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def page_frame(info: DocumentInfo, patient: Patient | None, *, ward_count: int = 0,
               any_demo: bool = False) -> PageFrame:
    """Header and footer text: the patient's name and identifiers (or the ward), printed at / data up to, protocol
    id and version, app version and "decision support — not an order" (D3, RULES.md §7 footer)."""
    fmt = _fmt_time(info.tz, info.language)
    w = words(info.language)
    footer = (
        w["printed"].format(printed=fmt(info.printed_at), upto=fmt(info.data_up_to),
                            offset=_offset_text(info.data_up_to.astimezone(info.tz))),
        w["footer_protocol"].format(id=info.protocol_id, version=info.protocol_version, name=info.protocol_name,
                                    app=info.app_version, scales=info.scales),
        w["footer_disclaimer"].format(disclaimer=info.disclaimer),
    )
    if patient is None:
        return PageFrame(w["ward_title"].format(n=ward_count, patients=patients(info.language, ward_count)),
                         w["ward_ident"], any_demo, footer, w["page"], w["demo_mark"])
    ident = f"{w['mrn']} {patient.mrn}"
    if patient.bed:
        ident += " · " + w["ident_bed"].format(bed=patient.bed)
    if patient.ward:
        ident += f" · {patient.ward}"
    ident += " · " + w["ident_dob"].format(dob=date_text(info.language, patient.birth_date))
    return PageFrame(patient.name, ident, patient.demo, footer, w["page"], w["demo_mark"])

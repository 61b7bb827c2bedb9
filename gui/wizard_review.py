"""The vitals wizard's review: the values to be saved and the grades core computes from them before anything is
written (``Bedside.preview``): both CRS scales, NEWS2, ICANS, what to do after saving, and the values carried
forward from an earlier set (D11)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.errors import InputError
from gui import status_style as ss
from gui import why
from gui import words as w
from gui.i18n import Wizard
from gui.record_text import vitals_text
from gui.status_banner import chip
from gui.wizard_inputs import _strip_field

if TYPE_CHECKING:
    from gui.wizard import VitalsWizard


def update_review(wizard: VitalsWizard) -> None:
    """Grade the draft with core before saving (nothing is written)."""
    unit = wizard.ctx.settings.temperature_unit
    items = wizard.draft()
    main = next(fields for kind, fields in reversed(items) if kind == "vitals")
    lines = [vitals_text(main, unit) or Wizard.tr("No values entered.")]
    for kind, fields in items:
        if fields is main:
            continue
        if kind == "vitals":
            lines.append(Wizard.tr("First reading (kept): %1").replace("%1", vitals_text(fields, unit)))
        else:
            lines.append(f"{w.word(w.RECORD_TYPES, kind)}: " + ", ".join(
                f"{v:g} {wizard.bolus_unit}" if k == "volume_ml" else
                w.word(w.SYMPTOMS, v) if k == "name" else w.word(w.AROUSAL, v) if k == "arousal" else
                w.word(w.SEIZURE, v) if k == "seizure" else f"ICE {v}" for k, v in fields.items()
                if v is not None))
    wizard.summary.setText("\n".join(lines))
    while wizard.grade_row.count():
        item = wizard.grade_row.takeAt(0)
        shown = item.widget() if item is not None else None
        if shown is not None:
            shown.deleteLater()
    wizard.preview_state = None
    try:
        state = wizard.ctx.bedside.preview(wizard.mrn, items, wizard.taken_at())
    except InputError as exc:
        show_input_error(wizard, exc)
        wizard.scales.clear()
        wizard.review_todo.clear()
        wizard.review_details.clear()
        return
    wizard.preview_state = state
    earlier = why.carried_forward(state.vitals, wizard.taken_at(), unit)
    if earlier:   # a blank field is graded with an earlier value (D11): say which, and when it was taken
        lines.append(Wizard.tr("Not typed, carried forward from an earlier set: %1").replace("%1", earlier))
        wizard.summary.setText("\n".join(lines))
    c = state.crs
    at_least = c.computed.ctcae.at_least and c.computed.ctcae.grade >= c.grade
    wizard.grade_row.addWidget(chip(ss.crs_style(c.grade, at_least=at_least), 1.5))
    if c.computed.scales_differ:
        wizard.grade_row.addWidget(chip(ss.scales_differ_style(), 1.1))
    n = state.news2
    wizard.grade_row.addWidget(chip(ss.news2_style(n.score, n.risk, n.complete), 1.1))
    if state.icans.grade is not None:
        wizard.grade_row.addWidget(chip(ss.icans_style(state.icans.grade), 1.1))
    wizard.grade_row.addStretch(1)
    ctcae = f"{'≥' if c.computed.ctcae.at_least else ''}{c.computed.ctcae.grade}"
    wizard.scales.setText(why.trigger_sentence(state, unit) + "\n" + Wizard.tr(
        "ASTCT 2019: grade %1 · CTCAE v5: grade %2").replace("%1", str(c.computed.astct.grade)).replace(
        "%2", ctcae))
    wizard.review_details.setText(why.rules_details(state))
    todo = [f"• {w.recommendation_text(r)}" for r in state.recommendations]
    wizard.review_todo.setText("\n".join(todo) if todo else Wizard.tr("Nothing pending after this set."))


def show_input_error(wizard: VitalsWizard, exc: InputError) -> None:
    """Core refused the draft: the time's message next to the time, any other under the steps."""
    message = _strip_field(str(exc))
    if exc.field == "at" and w.window_language() != "en":   # in English core's own words are shown
        message = Wizard.tr("%1 is in the future: observations cannot be future-dated").replace(
            "%1", wizard.time_edit.text())
    if exc.field == "at":
        wizard.time_message.setText("✖ " + message)
        wizard.time_message.show()
    else:
        wizard.form_message.setText("✖ " + str(exc))
        wizard.form_message.show()

"""The one mapping of meaning to colour, shape and words: never colour alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from gui import status_style as ss


def test_each_crs_grade_has_its_own_colour_shape_symbol_and_words():
    styles = [ss.crs_style(g) for g in range(6)]
    assert [s.text for s in styles] == ["No CRS", "CRS grade 1", "CRS grade 2", "CRS grade 3", "CRS grade 4",
                                        "CRS grade 5 (death)"]
    assert [s.background for s in styles] == [ss.GREEN, ss.YELLOW, ss.ORANGE, ss.VERMILLION, ss.PURPLE, ss.BLACK]
    assert len({s.shape for s in styles}) == 6 and len({s.symbol for s in styles}) == 6
    assert [s.number for s in styles] == ["0", "1", "2", "3", "4", "5"]
    assert [s.label for s in styles][2] == "◆ CRS grade 2"
    assert all(s.accessible.startswith("CRS: ") for s in styles)


def test_a_lower_bound_says_so():
    assert ss.crs_style(2, at_least=True).text == "CRS grade 2 or higher"


@pytest.mark.parametrize(("risk", "score", "colour", "text"), [
    ("low", 0, ss.GREEN, "NEWS2 0, low risk"),
    ("low_medium", 3, ss.YELLOW, "NEWS2 3, low–medium risk (a red score)"),
    ("medium", 5, ss.ORANGE, "NEWS2 5, medium risk"),
    ("high", 7, ss.VERMILLION, "NEWS2 7, high risk"),
])
def test_news2_risk_bands(risk, score, colour, text):
    style = ss.news2_style(score, risk, True)
    assert (style.background, style.text, style.number) == (colour, text, str(score))


def test_incomplete_news2_and_unassessed_icans_are_grey_and_say_so():
    assert ss.news2_style(None, None, False).text == "NEWS2 incomplete"
    assert ss.icans_style(None).text == "ICANS not assessed"
    assert ss.icans_style(None).background == ss.LIGHT_GREY


def test_infusion_states_and_overdue_carry_words_and_symbols():
    held = ss.infusion_style("held")
    # a hold is a hatch pattern with a dashed frame, never a CRS grade's colour
    assert (held.text, held.symbol, held.background, held.hatched) == ("HELD", "❚❚", "#FFFFFF", True)
    assert held.brush().style() == Qt.BrushStyle.BDiagPattern and "dashed" in held.sheet()
    assert held.background not in {bg for bg, *_ in ss.LEVELS.values()}
    for state in ("not_started", "running", "held", "between_cycles", "discontinued", "completed"):
        style = ss.infusion_style(state)
        assert style.text and style.symbol and style.accessible.startswith("Infusion: ")
    overdue = ss.overdue_style(125)
    assert (overdue.text, overdue.symbol, overdue.background) == ("OVERDUE by 2 h 05 min", "⚠", ss.OVERDUE)
    assert ss.OVERDUE not in {bg for bg, *_ in ss.LEVELS.values()}     # timeliness has its own colour


def test_durations_in_words():
    assert [ss.duration_text(m) for m in (0, 45, 60, 125, 1440 + 240)] == \
        ["0 min", "45 min", "1 h", "2 h 05 min", "1 d 4 h"]


def test_palette_text_contrast_is_at_least_4_5_to_1():
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for level, (background, foreground, _, _) in ss.LEVELS.items():
        high, low = sorted((luminance(background), luminance(foreground)), reverse=True)
        assert (high + 0.05) / (low + 0.05) >= 4.5, level


def test_icons_are_drawn_at_the_asked_size(qtbot):
    pixmap = ss.crs_style(3).icon(32).pixmap(32, 32)
    assert (pixmap.width(), pixmap.height()) == (32, 32)
    assert not pixmap.toImage().isNull()

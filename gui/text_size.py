"""Text size for reading at arm's length (View → Text size, Ctrl++ / Ctrl+−), remembered per user (issue 14).

The whole window follows the application font: widgets that set no font of their own take it at once, and the
status chips and titles scale from it when the page is next shown.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

#: The steps offered, as factors of the system font.
STEPS = (1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
_BASE = "crs_bedside_base_point_size"


def apply_text_scale(app: QApplication, factor: float) -> None:
    """Scale the application font to ``factor`` × the system font (the first call remembers the system size)."""
    base = app.property(_BASE)
    if base is None:
        base = app.font().pointSizeF()
        app.setProperty(_BASE, base)
    font = app.font()
    font.setPointSizeF(float(base) * factor)
    app.setFont(font)


def next_step(current: float, direction: int) -> float:
    """The next text size up (``direction`` 1) or down (-1) from ``current``, staying within :data:`STEPS`."""
    index = min(range(len(STEPS)), key=lambda i: abs(STEPS[i] - current))
    return STEPS[max(0, min(len(STEPS) - 1, index + direction))]

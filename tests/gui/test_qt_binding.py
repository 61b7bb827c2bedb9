"""The pinned Qt binding must not leak references to None.

PySide6 6.12.0 on Python 3.11 decrements None's reference count on every call of a Qt method that returns nothing;
after about 100,000 such calls the process aborts ("none_dealloc"). A nurse's session makes that many calls in
minutes, so the project pins a release without the bug (pyproject.toml) and this test keeps it pinned.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF


def test_void_qt_calls_do_not_consume_references_to_none():
    point = QPointF()
    before = sys.getrefcount(None)
    for _ in range(50_000):
        point.setX(1.0)
    after = sys.getrefcount(None)
    assert before - after < 100

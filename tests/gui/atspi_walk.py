"""Walk an application's accessibility tree over AT-SPI and print what a screen reader could not name.

    /usr/bin/python3 tests/gui/atspi_walk.py PID

Run with the system's Python (pyatspi: Debian ``python3-pyatspi``), on the same session bus as the application.
It prints one JSON document: the windows found (by title, with how many focusable controls, tables and cells
were checked in each) and the problems, each ``{"window", "path", "role",
"name", "problem"}``:

- a focusable control with no accessible name, or with a name that is only a number ("4", "38.5");
- a table cell whose accessible text does not carry its column's header (a bare "4" in the Bed column is read
  as "4" — it must read e.g. "Bed: 4").

Menus and their items are skipped (their names are their texts); so are Qt's own scroll bars.
"""

from __future__ import annotations

import json
import re
import sys
import time

import pyatspi

NUMBER_ONLY = re.compile(r"^[\s\d.,:%°+\-–/]*$")
#: Controls a person moves to with the keyboard (and so a screen reader announces by name).
CONTROL_ROLES = {
    pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_CHECK_BOX, pyatspi.ROLE_RADIO_BUTTON, pyatspi.ROLE_COMBO_BOX,
    pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY, pyatspi.ROLE_PASSWORD_TEXT, pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_SLIDER,
    pyatspi.ROLE_TOGGLE_BUTTON, pyatspi.ROLE_TABLE, pyatspi.ROLE_TREE_TABLE, pyatspi.ROLE_LIST, pyatspi.ROLE_TREE,
    pyatspi.ROLE_PAGE_TAB, pyatspi.ROLE_DIAL,
}
SKIPPED_ROLES = {pyatspi.ROLE_MENU_BAR, pyatspi.ROLE_MENU, pyatspi.ROLE_SCROLL_BAR, pyatspi.ROLE_POPUP_MENU}
#: Rows of each table looked at (enough to meet every column; a long records list adds nothing).
ROWS_CHECKED = 4


def find_app(pid: int, deadline: float):
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for app in desktop:
            try:
                if app is not None and app.get_process_id() == pid:
                    return app
            except Exception:  # an application that went away meanwhile
                continue
        time.sleep(0.5)
    return None


def header_of(table, column: int) -> str:
    try:
        text = table.queryTable().getColumnDescription(column) or ""
        if text:
            return text
        header = table.queryTable().getColumnHeader(column)
        return header.name if header is not None else ""
    except Exception:
        return ""


def check_table(node, window: str, path: str, problems: list, counts: dict) -> None:
    try:
        table = node.queryTable()
    except NotImplementedError:
        return
    for row in range(min(table.nRows, ROWS_CHECKED)):
        for column in range(table.nColumns):
            cell = table.getAccessibleAt(row, column)
            if cell is None:
                continue
            header = header_of(node, column).strip()
            name = (cell.name or "").strip()
            counts["cells"] += 1
            if not header or header.lower() not in name.lower():
                problems.append({"window": window, "path": f"{path}/cell[{row},{column}]",
                                 "role": cell.getRoleName(), "name": name,
                                 "problem": f"cell text lacks its column {header!r}"})


def walk(node, window: str, path: str, problems: list, counts: dict, depth: int = 0) -> None:
    if node is None or depth > 40:
        return
    try:
        role = node.getRole()
        state = node.getState()
        name = (node.name or "").strip()
    except Exception:  # a node that went away
        return
    if role in SKIPPED_ROLES:
        return
    showing = state.contains(pyatspi.STATE_SHOWING)
    if not showing:
        return
    here = f"{path}/{node.getRoleName()}[{name[:30]}]"
    if role in CONTROL_ROLES and state.contains(pyatspi.STATE_FOCUSABLE):
        counts["controls"] += 1
        if not name:
            problems.append({"window": window, "path": here, "role": node.getRoleName(), "name": name,
                             "problem": "focusable control without a name"})
        elif NUMBER_ONLY.match(name):
            problems.append({"window": window, "path": here, "role": node.getRoleName(), "name": name,
                             "problem": "name is only a number"})
    if role in (pyatspi.ROLE_TABLE, pyatspi.ROLE_TREE_TABLE):
        counts["tables"] += 1
        check_table(node, window, here, problems, counts)
        return   # its cells were checked through the table interface
    try:
        children = list(node)
    except Exception:
        return
    for child in children:
        walk(child, window, here, problems, counts, depth + 1)


def main(pid: int) -> int:
    app = find_app(pid, time.monotonic() + 60)
    if app is None:
        print(json.dumps({"error": f"no accessible application with process id {pid}"}))
        return 1
    problems: list = []
    windows = {}
    for window in app:
        title = (window.name or "").strip()
        if title in windows:   # several windows of one kind (the wizard at each step) name themselves alike
            title = f"{title} ({sum(1 for t in windows if t.startswith(title)) + 1})"
        counts = windows[title] = {"controls": 0, "tables": 0, "cells": 0}
        walk(window, title, "", problems, counts)
    print(json.dumps({"windows": windows, "problems": problems}, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))

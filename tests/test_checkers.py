"""ruff and mypy, configured in pyproject.toml ([tool.ruff], [tool.mypy]), find nothing in the repository, run as the
real commands `bootstrap.py --test` runs before pytest; and they bite: a copy of the configuration refuses code with
a finding, naming the file, the line and the rule, while the clinical characters stay allowed (issue 18)."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: A checker silenced in a comment, and what must follow: its code, then why (`noqa: E402 - why`,
#: `noqa: F401  (why)`, `type: ignore[attr-defined]  # why`).
SILENCED = re.compile(r"#\s*(noqa|type:\s*ignore)\b(?P<rest>.*)$")
EXPLAINED = re.compile(r"(:\s*[A-Z]+[0-9]+(,\s*[A-Z]+[0-9]+)*|\[[a-z-]+(,\s*[a-z-]+)*\])\s+(-\s*|\(|#\s*)\S")


def script(name: str) -> Path:
    """A console script pip installed beside the interpreter (bin/ on Linux and macOS, Scripts/ on Windows)."""
    return Path(sys.executable).with_name(f"{name}.exe" if os.name == "nt" else name)


def run(name: str, arguments: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The checker run in ``cwd`` on the code found there, with that folder's pyproject.toml."""
    return subprocess.run([str(script(name)), *arguments], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    result = run("ruff", ["check", "."], ROOT)
    assert (result.returncode, result.stdout) == (0, "All checks passed!\n"), result.stdout + result.stderr


def test_mypy_finds_nothing_in_core_strict_and_gui():
    result = run("mypy", ["core", "gui"], ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found in "), result.stdout


def _copy_of_the_configuration(tmp_path: Path) -> None:
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for package in ("core", "gui"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")


def test_ruff_refuses_an_unused_import_and_a_long_line_and_allows_the_clinical_characters(tmp_path):
    _copy_of_the_configuration(tmp_path)
    (tmp_path / "core" / "limits.py").write_text(
        "import os\n\n"
        'FEVER = "T ≥ 38.0 °C, SBP ≤ 90 mmHg, 6–8 h, 2 × daily · µg"  # ≥ ≤ – × · in a comment too\n'
        f'LONG = "{"y" * 120}"\n', encoding="utf-8")

    result = run("ruff", ["check", "--no-cache", "--output-format", "concise", "."], tmp_path)

    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        "core/limits.py:1:8: F401 [*] `os` imported but unused",
        "core/limits.py:4:121: E501 Line too long (129 > 120)"]
    assert "RUF001" not in result.stdout and "RUF003" not in result.stdout


def test_mypy_refuses_an_untyped_core_function_and_a_wrong_type_in_a_gui_function_body(tmp_path):
    _copy_of_the_configuration(tmp_path)
    (tmp_path / "core" / "dose.py").write_text("def per_day(dose, hours):\n    return dose * 24 / hours\n",
                                               encoding="utf-8")
    (tmp_path / "gui" / "panel.py").write_text("def refresh(event):\n    rows: int = 'two'\n    return rows\n",
                                               encoding="utf-8")

    result = run("mypy", ["--cache-dir", str(tmp_path / "cache"), "core", "gui"], tmp_path)

    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert sorted(lines[:-1]) == [
        "core/dose.py:1: error: Function is missing a type annotation  [no-untyped-def]",
        'gui/panel.py:2: error: Incompatible types in assignment (expression has type "str", variable has type "int")'
        "  [assignment]"]     # gui is not strict (an untyped slot is allowed) but every function body is checked
    assert lines[-1].startswith("Found 2 errors in 2 files")


def unexplained(root: Path) -> list[str]:
    """Every comment below ``root`` that silences a checker without its code and a reason (file:line)."""
    found = []
    for folder in ("core", "gui", "tests", "build_scripts", "docs"):
        for path in sorted((root / folder).rglob("*.py")):
            if "node_modules" in path.parts:
                continue
            with path.open(encoding="utf-8") as source:
                comments = [t for t in tokenize.generate_tokens(source.readline) if t.type == tokenize.COMMENT]
            for comment in comments:
                match = SILENCED.search(comment.string)
                if match and not EXPLAINED.match(match.group("rest")):
                    found.append(f"{path.relative_to(root).as_posix()}:{comment.start[0]}")
    return found


def test_every_noqa_and_type_ignore_names_its_code_and_says_why():
    assert unexplained(ROOT) == []


def test_a_bare_noqa_or_type_ignore_is_found(tmp_path):
    (tmp_path / "gui").mkdir()
    (tmp_path / "gui" / "panel.py").write_text(
        "import os  # noqa: F401 - re-exported\n"
        "import re  # noqa\n"
        "import sys  # noqa: F401\n"
        "x: int = 'a'  # type: ignore[assignment]  # a test of the test\n"
        "y: int = 'b'  # type: ignore\n"
        "z: int = 'c'  # type: ignore[assignment]\n", encoding="utf-8")
    assert unexplained(tmp_path) == ["gui/panel.py:2", "gui/panel.py:3", "gui/panel.py:5", "gui/panel.py:6"]


#: Issue 18: a module or a class a newcomer can hold in mind (lines, from the first line to the last, docstrings and
#: comments included).
MODULE_LINES, CLASS_LINES = 500, 300


def test_no_module_over_500_lines_and_no_class_over_300_in_core_or_gui():
    too_big = []
    for path in sorted([*ROOT.glob("core/**/*.py"), *ROOT.glob("gui/**/*.py")]):
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT).as_posix()
        if len(text.splitlines()) > MODULE_LINES:
            too_big.append(f"{where}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None \
                    and node.end_lineno - node.lineno + 1 > CLASS_LINES:
                too_big.append(f"{where}: class {node.name} {node.end_lineno - node.lineno + 1} lines")
    assert too_big == []


#: Qt's translation calls: ``self.tr(...)``, ``Words.tr(...)``, ``QApplication.translate(...)``.
TRANSLATION_CALLS = frozenset({"tr", "translate"})


def _is_translation(node: ast.AST, translated: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in translated
    if isinstance(node, ast.Call):
        func = node.func
        return (isinstance(func, ast.Attribute) and func.attr in TRANSLATION_CALLS) or (
            isinstance(func, ast.Name) and func.id in TRANSLATION_CALLS)
    return False


def translation_guesses(root: Path) -> list[str]:
    """Where gui/ guesses whether a translation is installed by comparing a ``tr()`` result with its source
    (``tr(x) != x``, ``text == source`` after ``text = tr(...)``): ``file:line`` of each comparison."""
    found = []
    for path in sorted(root.glob("gui/**/*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
                continue
            translated = {target.id for node in ast.walk(function) if isinstance(node, ast.Assign)
                          and _is_translation(node.value, set())
                          for target in node.targets if isinstance(target, ast.Name)}
            for node in ast.walk(function):
                if isinstance(node, ast.Compare) and any(isinstance(op, (ast.Eq, ast.NotEq)) for op in node.ops) \
                        and any(_is_translation(side, translated) for side in (node.left, *node.comparators)):
                    found.append(f"{path.relative_to(root).as_posix()}:{node.lineno}")
    return sorted(set(found))


def test_the_gui_never_guesses_whether_a_translation_exists():
    """Issue 18: the words are chosen by the window's language (gui.words.window_language), never by testing
    whether ``tr(x)`` came back unchanged (a translation equal to its source, or one missing, would be misread)."""
    assert translation_guesses(ROOT) == []


def test_a_translation_guess_is_found(tmp_path):
    (tmp_path / "gui").mkdir()
    (tmp_path / "gui" / "panel.py").write_text(
        "def words(self, x, core):\n"
        "    out = Words.tr(x)\n"
        "    ok = self.tr('Done') == 'Done'\n"
        "    return out if out != x else core\n"
        "def fine(self, language):\n"
        "    return self.tr('Done') if language != 'en' else 'Done'\n", encoding="utf-8")
    assert translation_guesses(tmp_path) == ["gui/panel.py:3", "gui/panel.py:4"]


#: Issue 18, "each rule id in one place": a rule's protocol values, read anywhere but in the words of a prompt (a
#: keyword argument, ``Sentence.of(..., grade=protocol.neuro.interrupt_icans_grade)``), are a decision of that rule,
#: and its decisions live in one module. rule id -> (its module, the protocol values only it decides with).
RULE_HOMES = {
    "R-MOD-3": ("core/rules/neuro_label.py",
                frozenset({"interrupt_icans_grade", "neuro_restart_after_minutes", "neuro_resolution_limit_minutes"})),
    "R-MOD-4": ("core/rules/neuro_label.py", frozenset({"discontinue_icans_grade"})),
}


def rule_decisions_elsewhere(root: Path) -> list[str]:
    """``rule file:line`` of each read of a rule's protocol value (:data:`RULE_HOMES`) outside its module, the words'
    keyword arguments and core/protocol.py (where the values are defined) aside."""
    found = []
    for path in sorted([*root.glob("core/**/*.py"), *root.glob("gui/**/*.py")]):
        where = path.relative_to(root).as_posix()
        if where == "core/protocol.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        words = {id(k.value) for node in ast.walk(tree) if isinstance(node, ast.Call) for k in node.keywords}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute) or id(node) in words:
                continue
            found += [f"{rule} {where}:{node.lineno}" for rule, (home, values) in RULE_HOMES.items()
                      if node.attr in values and where != home]
    return sorted(found)


def test_each_rule_decides_with_its_protocol_values_in_its_one_module():
    assert rule_decisions_elsewhere(ROOT) == []


def test_a_rule_decision_outside_its_module_is_found(tmp_path):
    (tmp_path / "core" / "rules").mkdir(parents=True)
    (tmp_path / "core" / "rules" / "guard.py").write_text(
        "def guard(grade, protocol):\n"
        "    words = Sentence.of('guard_icans', interrupt_grade=protocol.neuro.interrupt_icans_grade)\n"
        "    return words if grade >= protocol.neuro.interrupt_icans_grade else None\n", encoding="utf-8")
    (tmp_path / "core" / "rules" / "neuro_label.py").write_text(
        "def icans_withholds(grade, protocol):\n"
        "    return grade >= protocol.neuro.interrupt_icans_grade\n", encoding="utf-8")
    (tmp_path / "core" / "protocol.py").write_text("x = p.neuro_restart_after_minutes\n", encoding="utf-8")
    assert rule_decisions_elsewhere(tmp_path) == ["R-MOD-3 core/rules/guard.py:3"]

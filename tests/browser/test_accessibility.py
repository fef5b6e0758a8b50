"""Access for everyone, in JupyterLab: a learner answers quiz questions and an exercise with the
keyboard only, and the quiz, an exercise check and the class report pass an automated audit
(axe-core, from npm) with no serious or critical violation, in the light and the dark theme.

axe-core: ``scripts/install_browser.sh`` puts it in ``build/axe/`` (or set ``HFCOURSE_AXE`` to
its ``axe.min.js``). Each audit's violations are written to ``test-artifacts/accessibility.json``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTIFACTS, LEARNER, ROOT, _missing, save_page
from test_quiz_in_browser import _cell_index, tab_to, widget_indices

from helpers import cli, progress, quiz

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the simulated class
import simulated_class  # noqa: E402

SERIOUS = ("serious", "critical")
LESSON = "00_welcome.ipynb"


def axe_script() -> Path:
    """Where axe-core's script is (``$HFCOURSE_AXE``, else ``build/axe``)."""
    path = Path(os.environ.get("HFCOURSE_AXE") or
                ROOT / "build" / "axe" / "node_modules" / "axe-core" / "axe.min.js")
    if not path.is_file():
        _missing(f"the accessibility audit needs axe-core at {path}: run "
                 "`bash scripts/install_browser.sh` (npm install axe-core), or set HFCOURSE_AXE")
    return path


def audit(page: Any, name: str, include: list[str]) -> list[dict[str, Any]]:
    """Run axe-core on the elements that match ``include`` (CSS selectors); write every violation
    under ``name`` in test-artifacts/accessibility.json; return the serious and critical ones."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    found = page.evaluate("""async (selectors) => {
        const present = selectors.filter(s => document.querySelector(s));
        const result = await axe.run({include: present.map(s => [s])},
                                     {resultTypes: ['violations']});
        return {present, violations: result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
            targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))};
    }""", include)
    assert found["present"] == include, f"nothing on the page matches {set(include) - set(found['present'])}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    record = ARTIFACTS / "accessibility.json"
    saved = json.loads(record.read_text()) if record.is_file() else {}
    saved[name] = found["violations"]
    record.write_text(json.dumps(saved, indent=1) + "\n")
    return [v for v in found["violations"] if v["impact"] in SERIOUS]


def _lab_only(server: Any) -> None:
    if server.frontend.name != "lab":
        pytest.skip("the keyboard walk and the audit run in JupyterLab (the main suite)")


def _right_positions(q: quiz.Question) -> list[int]:
    order = quiz.option_order(q, LEARNER)
    return [pos for pos, i in enumerate(order) if q.choices[i].correct]


def _focused(locator: Any) -> bool:
    return bool(locator.evaluate("el => el === document.activeElement"))


def _notebook_state(page: Any) -> tuple[int, int]:
    """The active cell and the number of cells: keys meant for the quiz must change neither."""
    return tuple(page.evaluate("""() => { const nb = window.jupyterapp.shell.currentWidget.content;
                                          return [nb.activeCellIndex, nb.widgets.length]; }"""))


def _prepare(server: Any, page: Any) -> None:
    """Lesson 00 with what its first exercise and its quiz need run: set-up, the tokenizer, the
    exercise cells and the quiz."""
    import nbformat

    notebook = ROOT / "lessons" / LESSON
    server.open(page, LESSON)
    cells = nbformat.read(notebook, as_version=4).cells
    tokenizer = next(i for i, c in enumerate(cells) if "AutoTokenizer.from_pretrained" in c.source)
    check = _cell_index(notebook, "ex00-count-tokens", "check")
    quiz_cell = next(i for i, c in enumerate(cells) if "quiz.show(" in c.source)
    assert server.frontend.run_cells(page, [widget_indices(notebook)[0], tokenizer, check - 1,
                                            check, quiz_cell])
    page.locator(".hfq-quiz").wait_for(state="visible")


def test_keyboard_only_quiz_and_exercise_then_the_audit_in_light_and_dark(server, page):
    """One lesson prepared once: the keyboard walk, then the audit of what it left on screen
    (right and wrong verdicts, an exercise's feedback, hints)."""
    _lab_only(server)
    bank = quiz.load_bank("00_welcome")
    before = len(progress.load(server.progress))
    _prepare(server, page)
    questions = page.locator(".hfq-quiz .hfq-question")
    start = _notebook_state(page)

    # A single-choice question is one Tab stop; the arrow keys move the choice; Enter checks.
    single = next(q for q in bank.questions if q.type == "single")
    box = questions.nth(bank.questions.index(single))
    radios = box.locator("input[type=radio]")
    assert radios.count() == len(single.choices)
    assert box.locator("[role=radiogroup]").get_attribute("aria-label").startswith("Question ")
    page.locator(".hfq-quiz .hfq-score").click()           # the pointer leaves; keys from here
    tab_to(page, radios.first)
    (right,) = _right_positions(single)
    if right == 0:
        page.keyboard.press("Space")
    for _ in range(right):
        page.keyboard.press("ArrowDown")
    assert radios.nth(right).is_checked() and _focused(radios.nth(right))
    assert _notebook_state(page) == start, "an arrow key reached the notebook"
    page.keyboard.press("Enter")
    box.locator(".hfq-feedback").get_by_text("Correct").wait_for()
    assert _notebook_state(page) == start, "Enter reached the notebook"
    page.keyboard.press("Tab")                              # one stop on: the Check button
    assert _focused(box.locator("button.hfq-check").first)

    # A wrong answer by keyboard (the true/false question): its feedback says so.
    true_false = next(q for q in bank.questions if q.type == "true_false")
    box = questions.nth(bank.questions.index(true_false))
    radios = box.locator("input[type=radio]")
    tab_to(page, radios.first)
    wrong = next(p for p in range(len(true_false.choices)) if p not in _right_positions(true_false))
    page.keyboard.press("Space" if wrong == 0 else "ArrowDown")  # the first, or the second
    page.keyboard.press("Enter")
    box.locator(".hfq-feedback").get_by_text("Not yet").wait_for()

    # A number: words are refused without a record; digits and Enter are checked.
    numeric = next(q for q in bank.questions if q.type == "numeric")
    box = questions.nth(bank.questions.index(numeric))
    number = box.locator("input.hfq-number")
    tab_to(page, number)
    page.keyboard.type("three hundred")
    page.keyboard.press("Enter")
    box.locator(".hfq-feedback").get_by_text("not a number, so it was not counted").wait_for()
    page.keyboard.press("Control+A")
    page.keyboard.type(numeric.answer_text())
    page.keyboard.press("Enter")
    box.locator(".hfq-feedback").get_by_text("Correct").wait_for()

    # A multiple-choice question: one Tab stop, arrows between the boxes, Space ticks, Enter.
    multiple = next(q for q in bank.questions if q.type == "multiple")
    box = questions.nth(bank.questions.index(multiple))
    boxes = box.locator("input[type=checkbox]")
    tab_to(page, boxes.first)
    wanted = _right_positions(multiple)
    for pos in range(len(multiple.choices)):
        if pos in wanted:
            page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
    assert [boxes.nth(p).is_checked() for p in range(boxes.count())] == \
        [p in wanted for p in range(len(multiple.choices))]
    page.keyboard.press("Enter")
    box.locator(".hfq-feedback").get_by_text("Correct").wait_for()
    page.keyboard.press("Tab")
    assert _focused(box.locator("button.hfq-check").first), "a multiple-choice question is one Tab stop"

    assert _notebook_state(page) == start
    # An exercise: the learner's cursor on its cell, then keys only: type, run, read, fix.
    notebook = ROOT / "lessons" / LESSON
    placeholder = _cell_index(notebook, "ex00-count-tokens", "placeholder")
    output = page.locator(".jp-Notebook .jp-Cell").nth(placeholder + 1).locator(".jp-OutputArea")
    for code, said in (("count_tokens = lambda text: len(text.split())", "You counted words"),
                       ("count_tokens = lambda text: len(tokenizer(text)['input_ids'])", "Correct")):
        page.evaluate("""(i) => { const nb = window.jupyterapp.shell.currentWidget.content;
                                  nb.activeCellIndex = i; nb.scrollToItem(i); nb.mode = 'command';
                                  nb.node.focus(); }""", placeholder)
        page.keyboard.press("Enter")                        # edit the cell
        page.keyboard.press("Control+A")
        page.keyboard.type(code)
        page.keyboard.press("Shift+Enter")                  # run it; the check cell is next
        page.keyboard.press("Shift+Enter")                  # run the check
        output.get_by_text(said).first.wait_for()
        if said != "Correct":                               # a hint, by keyboard
            hint = output.locator("button.hfx-hint")
            tab_to(page, hint, most=60)
            page.keyboard.press("Enter")
            output.locator(".hfx-hints li").first.wait_for()

    saved = progress.load(server.progress)[before:]
    assert [(a.question, a.correct, a.mistake) for a in saved] == [
        (single.id, True, ""), (true_false.id, False, ""), (numeric.id, True, ""),
        (multiple.id, True, ""), ("ex00-count-tokens", False, "counted-words"),
        ("ex00-count-tokens", True, "")], "words were recorded, or an answer was lost"
    for path in save_page(page, "keyboard-walk-lab"):
        print(f"saved {path}")

    include = [".hfq-quiz", ".hfx-result", ".hfx-panel"]
    serious = {"light": audit(page, "lesson 00, light theme", include)}
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', "
                  "{theme: 'JupyterLab Dark'})")
    page.locator("body[data-jp-theme-light='false']").wait_for(state="attached")
    page.wait_for_timeout(1000)  # the theme's stylesheet is applied
    serious["dark"] = audit(page, "lesson 00, dark theme", include)
    questions.first.scroll_into_view_if_needed()
    for path in save_page(page, "quiz-dark-theme-lab"):
        print(f"saved {path}")
    page.evaluate("() => window.jupyterapp.commands.execute('apputils:change-theme', "
                  "{theme: 'JupyterLab Light'})")
    assert serious == {"light": [], "dark": []}, json.dumps(serious, indent=1)


def test_class_report_passes_the_audit_in_light_and_dark(page, tmp_path):
    root = tmp_path / "class"
    simulated_class.make_class(root, learners=12, bad=1)
    assert cli.main(["class-report", str(root / "handins"), "--out", str(tmp_path / "report")]) == 0
    page.set_viewport_size({"width": 1280, "height": 800})
    serious = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto((tmp_path / "report" / "class-report.html").as_uri())
        serious[scheme] = audit(page, f"class report, {scheme}", ["body"])
    assert serious == {"light": [], "dark": []}, json.dumps(serious, indent=1)

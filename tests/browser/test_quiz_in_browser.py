"""What a learner sees in a notebook front end: every lesson draws its quiz and its exercise
checks without an error, and the lesson 00 quiz answers clicks as it should (lesson 00 runs whole
there). The keyboard, and an exercise typed in, are in test_accessibility.py. Headless Chromium,
driven by Playwright, against JupyterLab 4 (ipywidgets 8) or, on Colab's versions, classic Notebook 6.5
(ipywidgets 7.7.1).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import LEARNER, ROOT, save_page
from frontends import plain, squash

from helpers import exam, progress, quiz

LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))


def bank_of(notebook: Path) -> quiz.Bank:
    found = re.search(r'quiz\.show\(\\?"([^"\\]+)', notebook.read_text())
    assert found, f"{notebook.name} shows no quiz"
    return quiz.load_bank(found.group(1))


def draws_widgets(cell: Any) -> bool:
    """Whether a cell draws a lesson's widgets and feedback: an exercise check or the quiz.
    (Running every cell is nbval's job, in the same suite.)"""
    return cell.cell_type == "code" and (cell.metadata.get("role") == "check"
                                         or "quiz.show(" in cell.source)


def widget_cells(notebook: Path) -> list[Any]:
    """The cells of ``notebook`` that draw its widgets."""
    import nbformat

    return [c for c in nbformat.read(notebook, as_version=4).cells if draws_widgets(c)]


def widget_indices(notebook: Path) -> list[int]:
    """Where the setup cell and the widget cells are, in the notebook."""
    import nbformat

    cells = nbformat.read(notebook, as_version=4).cells
    setup = next(i for i, c in enumerate(cells) if c.cell_type == "code")
    return [setup] + [i for i, c in enumerate(cells) if draws_widgets(c)]


def every_lesson_notebook(folder: Path) -> tuple[str, list[quiz.Bank], int]:
    """One notebook with the setup cell, then every lesson's exercise checks and quiz, in lesson
    order (one kernel for all twelve lessons, instead of one each). Returns its name, the banks
    of its quizzes in order, and the number of exercise checks."""
    import nbformat

    first = nbformat.read(LESSONS[0], as_version=4)
    cells = [next(c for c in first.cells if c.cell_type == "code")]  # the lessons' setup cell
    banks, checks = [], 0
    for notebook in LESSONS:
        widgets = widget_cells(notebook)
        cells.append(nbformat.v4.new_markdown_cell(f"## {notebook.stem}"))
        cells.extend(nbformat.v4.new_code_cell(c.source, metadata=c.metadata) for c in widgets)
        banks.append(bank_of(notebook))
        checks += sum(c.metadata.get("role") == "check" for c in widgets)
    name = "every_lesson_widgets.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata=first.metadata), folder / name)
    return name, banks, checks


def test_every_lesson_shows_its_quiz_and_exercise_checks_in_the_browser(server, page):
    if server.frontend.name == "classic":
        # Seen once in 4 full runs: classic Notebook 6.5 removed every widget view of a finished
        # lesson (2 of 8), leaving only the text copy. The test below checks the quiz widgets
        # there in depth.
        pytest.skip("every lesson in the browser runs in JupyterLab only (classic: flaky views)")
    server.delete_sessions()
    name, banks, checks = every_lesson_notebook(server.root / "lessons")
    server.frontend.open(page, server.url, f"lessons/{name}")
    code = [c.index for c in server.frontend.cells(page)]  # the code cells
    ran = server.frontend.run_cells(page, code)
    report = {c.index: c for c in server.frontend.cells(page)}
    errors = [f"cell {i} ({report[i].source!r}): {e}" for i in code for e in report[i].errors]
    assert not errors, "error outputs:\n" + "\n".join(errors)
    not_run = [i for i in code if report[i].count is None]
    assert ran and not not_run, f"cells that did not run: {not_run}"
    quizzes = page.locator(".hfq-quiz")
    quizzes.last.wait_for(state="visible")
    assert quizzes.count() == len(banks) == len(LESSONS)
    fallback = page.locator(".hfq-static-fallback")
    assert fallback.count() == len(banks)
    for n, bank in enumerate(banks):
        widget = quizzes.nth(n)
        assert widget.locator(".hfq-question").count() == len(bank.questions), LESSONS[n].stem
        # text_content, not inner_text: JupyterLab skips laying out the cells out of view.
        assert "Score: 0 / " in widget.locator(".hfq-score").text_content(), LESSONS[n].stem
        # The static copy printed under the widget is hidden wherever the widget renders.
        shown = fallback.nth(n).evaluate("el => getComputedStyle(el).display")
        assert shown == "none", (LESSONS[n].stem, shown)
    # Every exercise check says "not attempted" and offers its Hint and Solution buttons.
    assert checks > 30
    assert page.locator(".hfx-result.hfx-not_attempted").count() == checks
    assert page.locator(".hfx-hint").count() == checks
    # No widget failed to draw (JupyterLab's text, and both widget managers' error class).
    assert page.get_by_text("Error displaying widget").count() == 0
    assert page.locator(".jupyter-widgets-error-widget").count() == 0


def tab_to(page, target, most: int = 20) -> None:
    """Press Tab until ``target`` has the keyboard focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{most} presses of Tab never reached {target}")


def _single_questions(bank: quiz.Bank) -> list[quiz.Question]:
    return [q for q in bank.questions if q.type == "single"]


def test_quiz_feedback_hints_solution_score_and_progress(server, page):
    bank = quiz.load_bank("00_welcome")
    first = _single_questions(bank)[0]
    before = len(progress.load(server.progress))
    server.open(page, "00_welcome.ipynb")
    assert server.frontend.run_all(page)
    questions = page.locator(".hfq-quiz .hfq-question")
    q1 = questions.nth(bank.questions.index(first))
    order = quiz.option_order(first, LEARNER)  # what this learner sees, top to bottom
    right = next(pos for pos, i in enumerate(order) if first.choices[i].correct)
    wrong = next(pos for pos, i in enumerate(order) if not first.choices[i].correct)
    radios = q1.locator("input[type=radio]")
    assert radios.count() == len(first.choices)

    # A wrong choice shows that choice's own feedback.
    radios.nth(wrong).check()
    q1.locator(".hfq-check").click()
    feedback = q1.locator(".hfq-feedback")
    feedback.get_by_text("Not yet").wait_for()
    assert plain(first.choices[order[wrong]].feedback) in squash(feedback.inner_text())

    # A hint appears.
    q1.locator(".hfq-hint").click()
    q1.locator(".hfq-hints").get_by_text(plain(first.hints[0])).wait_for()

    # The right choice says so.
    radios.nth(right).check()
    q1.locator(".hfq-check").click()
    feedback.get_by_text("Correct").wait_for()

    # The worked solution opens.
    q1.locator(".hfq-solution-button").click()
    q1.locator(".hfq-solution").get_by_text(plain(first.solution[0])).wait_for()

    # The score line counts the solved question, not as a first-try success.
    total = len(bank.questions)
    score = page.locator(".hfq-quiz .hfq-score")
    score.get_by_text(f"Score: 1 / {total} correct · 0 on the first try · 1 attempted").wait_for()

    # The progress file gained both attempts, with the hint counted on the second.
    attempts = progress.load(server.progress)[before:]
    assert [(a.lesson, a.question, a.correct, a.hints_used) for a in attempts] == [
        ("00_welcome", first.id, False, 0), ("00_welcome", first.id, True, 1)]

    # The keyboard: tests/browser/test_accessibility.py walks a quiz and an exercise.
    q1.scroll_into_view_if_needed()
    for path in save_page(page, f"quiz-00-answered-{server.frontend.name}"):
        print(f"saved {path}")


def _cell_index(notebook: Path, exercise_id: str, role: str) -> int:
    import nbformat

    cells = nbformat.read(notebook, as_version=4).cells
    return next(i for i, c in enumerate(cells)
                if c.metadata.get("exercise") == exercise_id and c.metadata.get("role") == role)


def test_final_test_in_exam_mode(server, page):
    """A teacher's exam file beside the lessons: no hints or solutions, Submit is final, and the
    feedback and score come with Finish; the records say exam."""
    if server.frontend.name != "lab":
        pytest.skip("exam mode in the browser is tested in JupyterLab (the main suite); on "
                    "Colab's versions tests/test_classroom.py drives the same widgets in Python")
    notebook = ROOT / "lessons" / "07_final_test.ipynb"
    bank = bank_of(notebook)
    switch = server.root / "lessons" / exam.EXAM_FILE  # the kernel's working folder
    switch.write_text("placed by the teacher\n")
    try:
        before = len(progress.load(server.progress))
        server.open(page, notebook.name)
        assert server.frontend.run_cells(page, widget_indices(notebook))
        widget = page.locator(".hfq-quiz.hfq-exam")
        widget.wait_for(state="visible")
        assert widget.locator(".hfq-hint").count() == 0
        assert widget.locator(".hfq-solution-button").count() == 0
        assert widget.locator(".hfq-check").count() == len(bank.questions)
        assert widget.locator(".hfq-check").first.inner_text().strip() == "Submit"
        total = len(bank.questions)
        widget.locator(".hfq-score").get_by_text(f"Exam mode: 0 / {total} answered").wait_for()
        first = _single_questions(bank)[0]
        q1 = widget.locator(".hfq-question").nth(bank.questions.index(first))
        order = quiz.option_order(first, LEARNER)
        wrong = next(pos for pos, i in enumerate(order) if not first.choices[i].correct)
        q1.locator("input[type=radio]").nth(wrong).check()
        q1.locator(".hfq-check").click()
        q1.locator(".hfq-feedback").get_by_text("Answer recorded").wait_for()
        assert "Not yet" not in q1.locator(".hfq-feedback").inner_text()  # no feedback yet
        # A second answer is refused: the choices and Submit are locked.
        assert q1.locator(".hfq-check").is_disabled()
        assert all(q1.locator("input[type=radio]").nth(i).is_disabled() for i in range(len(order)))
        widget.locator(".hfq-score").get_by_text(f"Exam mode: 1 / {total} answered").wait_for()
        widget.locator(".hfq-finish").click()
        widget.locator(".hfq-score").get_by_text(f"Score: 0 / {total} correct (exam mode").wait_for()
        q1.locator(".hfq-feedback").get_by_text("Wrong").wait_for()  # exam wording, not "Not yet"
        assert plain(first.choices[order[wrong]].feedback) in squash(q1.locator(".hfq-feedback").inner_text())
        saved = progress.load(server.progress)[before:]
        assert [(a.lesson, a.question, a.correct, a.exam) for a in saved] == [
            ("final_test", first.id, False, True)]
        for path in save_page(page, f"final-test-exam-mode-{server.frontend.name}"):
            print(f"saved {path}")
    finally:
        switch.unlink()

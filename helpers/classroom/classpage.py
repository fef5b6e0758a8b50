"""The class report's page: its figures and tables, drawn from a ``classreport.Report``.

``write(report, DIR)`` writes ``class-report.csv`` (``classreport.to_csv``) and
``class-report.html``. The page needs nothing but a browser: its plots are inline PNG images,
and it has no script and no link to the network. Questions, options and mistakes are shown in
the words the learners saw (their Markdown drawn, as in the lessons), each with its id in small
print. A table wider than the window scrolls sideways inside its own box, and every chart that
counts learners counts in whole numbers.
"""

from __future__ import annotations

import base64
import html
import io
from collections import defaultdict
from pathlib import Path
from typing import Any

from helpers.assessment import exercises, quiz
from helpers.assessment import render
from helpers.classroom.classreport import MIN_WRONG, PAUSE_CAP_S, Report, to_csv


def count_axis(axis: Any) -> None:
    """Make an axis that counts learners show whole numbers only (no 0.5 of a learner)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _pyplot() -> Any:
    """matplotlib's pyplot, drawing into images only (no window): the report runs anywhere."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def completion_figure(report: Report) -> Any:
    """A bar per lesson: the share of learners who attempted all of it (a percentage axis)."""
    plt = _pyplot()
    done = report.completion()
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.bar(range(len(done)), [100 * v for v in done.values()], color="#2563eb")
    ax.set_xticks(range(len(done)), list(done), rotation=40, ha="right", fontsize=8)
    ax.set_ylabel("% of learners")
    ax.set_ylim(0, 100)
    ax.set_title("Completion: learners who attempted every question and exercise")
    return fig


def course_totals(report: Report) -> list[float]:
    """Each learner's course total as a percentage of all questions and exercises."""
    return [100 * s / i for s, i in report.totals().values() if i]


def totals_figure(report: Report) -> Any:
    """A histogram of the course totals; its y-axis counts learners, in whole numbers."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.hist(course_totals(report), bins=range(0, 105, 5), color="#16a34a", edgecolor="white")
    ax.set_xlabel("course total (% of all questions and exercises)")
    ax.set_ylabel("learners")
    count_axis(ax.yaxis)
    ax.set_title("Course totals")
    return fig


def hardest_figure(report: Report) -> Any:
    """A bar per hardest item: the percentage of learners right on the first try."""
    plt = _pyplot()
    hard = report.hardest(10)
    fig, ax = plt.subplots(figsize=(8, 3.4))
    labels = [f"{lesson} · {item}" for _, lesson, item, _, _ in hard][::-1]
    ax.barh(range(len(hard)), [100 * r[4] for r in hard][::-1], color="#dc2626")
    ax.set_yticks(range(len(hard)), labels, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% right on the first try")
    ax.set_title("The hardest questions and exercises")
    return fig


def totals_alt(report: Report) -> str:
    """The histogram of course totals in words, for a reader who can't see the picture."""
    totals = sorted(course_totals(report))
    if not totals:
        return "Histogram of course totals: no learner has a total yet."
    return (f"Histogram of course totals of {len(totals)} learners: lowest {totals[0]:.0f}%, "
            f"median {totals[len(totals) // 2]:.0f}%, highest {totals[-1]:.0f}%.")


def _png(fig: Any, alt: str) -> str:
    """A figure as an inline PNG ``<img>`` with its alternative text (the figure is closed)."""
    plt = _pyplot()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img class="plot" alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def plots(report: Report) -> list[tuple[str, str]]:
    """The report's three pictures as (heading, inline <img>): completion per lesson, the
    distribution of course totals, and the first-try rate of the hardest items."""
    return [
        ("Completion per lesson", _png(completion_figure(report), "Bar chart: the percentage of "
                                       "learners who attempted every item, per lesson; the table "
                                       "below gives the same figures.")),
        ("Course totals", _png(totals_figure(report), totals_alt(report))),
        ("Hardest items", _png(hardest_figure(report), "Bar chart: the percentage right on the "
                               "first try of the ten hardest questions and exercises; the table "
                               "below gives the same figures.")),
    ]


# --------------------------------------------------------------------------- texts of items


class Markup(str):
    """HTML that a table writes as is (already escaped)."""


def rich(text: str, block: bool = False) -> Markup:
    """Course Markdown (a question, an option, a mistake) as HTML, the way lessons show it."""
    return Markup(render.md(text, inline=not block).strip())


def with_id(text: Markup, item_id: str) -> Markup:
    """A text with its id below it, small: the id is what the CSV and progress files use."""
    return Markup(f'{text}<span class="id">{html.escape(item_id)}</span>')


def item_texts() -> dict[tuple[str, str, str], Markup]:
    """(kind, lesson, id) -> what the learner saw: a question's prompt, an exercise's title."""
    out: dict[tuple[str, str, str], Markup] = {}
    for name in quiz.bank_names():
        bank = quiz.load_bank(name)
        for q in bank.questions:
            out[("quiz", bank.lesson, q.id)] = rich(q.prompt, block=True)
    for ex_id, (lesson, d) in exercises.definitions().items():
        out[("exercise", lesson, ex_id)] = rich(d.title)
    return out


def mistake_texts() -> dict[tuple[str, str], Markup]:
    """(exercise id, mistake id) -> the feedback the check gives for that mistake."""
    return {(ex_id, m.id): rich(m.feedback, block=True)
            for ex_id, (_, d) in exercises.definitions().items() for m in d.mistakes}


# --------------------------------------------------------------------------- tables


def _cell(value: Any) -> str:
    """A cell's HTML: ``Markup`` as it is; anything else escaped, shown as text, never as HTML."""
    return value if isinstance(value, Markup) else html.escape(str(value))


def _tds(cells: list[Any]) -> str:
    """Data cells (``<td>``) for ``cells``."""
    return "".join(f"<td>{_cell(c)}</td>" for c in cells)


def _row(cells: list[Any]) -> str:
    """One table row; its first cell names the row (``<th scope="row">``), for screen readers."""
    return f'<tr><th scope="row">{_cell(cells[0])}</th>{_tds(cells[1:])}</tr>'


def _none(css: str, caption: str) -> str:
    """What stands in for a table with no rows."""
    return f'<p class="{css} empty">{html.escape(caption)}: none in these hand-ins.</p>'


def _scrolling(css: str, caption: str, head: list[str], body: str) -> str:
    """A table inside its own box that scrolls sideways when the table is wider than the page
    (the page itself never does). The box can take keyboard focus, to scroll with arrow keys."""
    cols = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in head)
    return (f'<div class="scroll" role="region" tabindex="0" aria-labelledby="{css}-caption">'
            f'<table class="{css}"><caption id="{css}-caption">{html.escape(caption)}</caption>'
            f"<thead><tr>{cols}</tr></thead>{body}</table></div>")


def _table(css: str, caption: str, head: list[str], rows: list[list[Any]]) -> str:
    """A table of ``rows`` under ``head``; a short note instead when there are no rows."""
    if not rows:
        return _none(css, caption)
    body = "<tbody>" + "".join(_row(r) for r in rows) + "</tbody>"
    return _scrolling(css, caption, head, body)


def _grouped_table(css: str, caption: str, head: list[str],
                   groups: list[tuple[Markup, list[list[Any]]]]) -> str:
    """A table with one group of rows per header (a question and its options): the header
    spans its rows (``<th scope="rowgroup">``)."""
    if not groups:
        return _none(css, caption)
    body = ""
    for header, rows in groups:
        first = f'<th scope="rowgroup" rowspan="{len(rows)}" class="text">{header}</th>'
        lines = [first + _tds(rows[0])] + [_tds(row) for row in rows[1:]]
        body += "<tbody>" + "".join(f"<tr>{line}</tr>" for line in lines) + "</tbody>"
    return _scrolling(css, caption, head, body)


STYLE = """*{box-sizing:border-box}
body{font-family:system-ui,sans-serif;margin:0 auto;padding:1em 2em;max-width:75em;color:#111;
background:#fff;line-height:1.4}h2{margin-top:1.6em}
.scroll{max-width:100%;overflow-x:auto;margin:.5em 0 1.5em}
.scroll:focus{outline:3px solid #1d4ed8;outline-offset:2px}
table{border-collapse:collapse}caption{text-align:left;font-weight:600;padding:.25em 0}
td,th{border:1px solid #ccc;padding:.25em .5em;font-size:.85em;text-align:left;vertical-align:top}
thead th{background:#f3f4f6}tbody th{font-weight:normal}td p,th p{margin:0 0 .25em}
pre{white-space:pre-wrap;margin:.25em 0}code{background:#f3f4f6;padding:0 .15em}
.text{min-width:16em;max-width:36em}.id{display:block;color:#4b5563;font-size:.85em}
.scores td,.scores th{white-space:nowrap}.scores tbody th{position:sticky;left:0;background:#fff}
.warn{background:#fef3c7;padding:.5em 1em;overflow-wrap:anywhere}.warn h2{margin-top:.5em}
.flag{background:#fee2e2;font-weight:bold}
.plot{display:block;max-width:100%;height:auto;margin:.5em 0}"""


def _text_cell(text: Markup) -> Markup:
    """A long text (a question, a mistake) in a column of readable width."""
    return Markup(f'<div class="text">{text}</div>')


def scores_table(report: Report) -> str:
    """Per learner, the score of each lesson and the course total (wide: it scrolls)."""
    rows = {(r.learner, r.lesson): r for r in report.rows()}
    table = []
    for learner, (score, items) in sorted(report.totals().items()):
        cells = [f"{rows[(learner, l)].score}/{rows[(learner, l)].items}" for l in report.lessons]
        table.append([learner, *cells, f"{score}/{items}"])
    return _table("scores", "Score per learner and lesson (score/items)",
                  ["learner", *report.lessons, "total"], table)


def hardest_table(report: Report, texts: dict[tuple[str, str, str], Markup]) -> str:
    """The hardest items, each with the text the learners saw (``item_texts()``) and its id."""
    table = [[_text_cell(with_id(texts.get((k, l, i), Markup(html.escape(i))), i)), k, l, n,
              f"{100 * r:.0f}%"] for k, l, i, n, r in report.hardest(10)]
    return _table("hardest", "The ten lowest first-try rates",
                  ["question or exercise", "kind", "lesson", "learners", "right on the first try"],
                  table)


def distractor_table(report: Report, texts: dict[tuple[str, str, str], Markup]) -> str:
    """Per question with wrong answers: its prompt, then each option and how often it was picked."""
    groups: dict[tuple[str, str], list[list[Any]]] = defaultdict(list)
    for d in report.distractors():
        if not d.wrong_answers:
            continue
        mark = Markup("<span class='flag'>possibly misleading</span>") if d.flagged else (
            "right option" if d.correct else "")
        option = d.option if d.numeric else rich(d.option)
        groups[(d.lesson, d.question)].append([option, d.picked, d.wrong_answers,
                                               f"{100 * d.share:.0f}%", mark])
    headers = [(with_id(texts.get(("quiz", lesson, q), Markup(html.escape(q))), f"{lesson} · {q}"),
                rows) for (lesson, q), rows in groups.items()]
    return _grouped_table("distractors", "Options picked in wrong answers, per question",
                          ["question", "option", "picked", "wrong answers", "share", "note"],
                          headers)


def mistakes_table(report: Report, texts: dict[tuple[str, str, str], Markup]) -> str:
    """The 20 commonest known mistakes, in the words the check says them, with their ids."""
    said = mistake_texts()
    table = []
    for lesson, exercise, mistake, times, learners in report.mistakes()[:20]:
        text = said.get((exercise, mistake), Markup(html.escape(mistake)))
        title = texts.get(("exercise", lesson, exercise), Markup(html.escape(exercise)))
        table.append([_text_cell(with_id(text, mistake)), with_id(title, exercise), lesson,
                      times, learners])
    return _table("mistakes", "Known mistakes found by the exercise checks, commonest first",
                  ["mistake (what the check told the learner)", "exercise", "lesson", "times",
                   "learners"], table)


def time_table(report: Report) -> str:
    """Per lesson: how many learners were timed, the median and the longest minutes."""
    table = []
    for lesson in report.lessons:
        spent = sorted(r.minutes for r in report.rows()
                       if r.lesson == lesson and r.minutes is not None)
        if spent:
            table.append([lesson, len(spent), spent[len(spent) // 2], spent[-1]])
    return _table("time", "Minutes between the first and the last answer, per lesson",
                  ["lesson", "learners timed", "median minutes", "longest"], table)


def to_html(report: Report) -> str:
    """The whole report as one HTML page with inline pictures, no script and no link."""
    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
             "<meta name='viewport' content='width=device-width, initial-scale=1'>",
             "<title>Class report</title>", f"<style>{STYLE}</style></head><body><main>",
             "<h1>Class report</h1>",
             f"<p id='summary'>{len(report.learners)} learners · {report.attempts} attempts · "
             f"{len(report.files)} files read, {len(report.warnings)} skipped</p>"]
    if report.warnings or report.merged:
        items = "".join(f"<li>{rich(w)}</li>" for w in report.warnings + report.merged)
        parts.append(f"<div class='warn' id='warnings'><h2>Files skipped and learners merged</h2>"
                     f"<ul>{items}</ul></div>")
    parts.append("<h2>Scores per lesson</h2><p>Score: quiz questions right on the first try plus "
                 "exercises solved, out of the lesson's questions and exercises. A wide table "
                 "scrolls sideways inside its box.</p>")
    parts.append(scores_table(report))
    texts = item_texts()
    pictures = plots(report)
    parts.append("<h2>Completion per lesson</h2>" + pictures[0][1])
    parts.append(_table("completion", "Learners who attempted every question and exercise",
                        ["lesson", "learners who attempted everything"],
                        [[l, f"{100 * v:.0f}%"] for l, v in report.completion().items()]))
    parts.append("<h2>Course totals</h2>" + pictures[1][1])
    parts.append("<h2>The hardest questions and exercises</h2>" + pictures[2][1])
    parts.append(hardest_table(report, texts))
    parts.append("<h2>Distractor analysis</h2><p>For each question with wrong answers: how many "
                 "wrong answers picked each option. <span class='flag'>Flagged</span>: an option "
                 f"that more than half of at least {MIN_WRONG} wrong answers picked, possibly "
                 "misleading, or a misconception to discuss.</p>")
    parts.append(distractor_table(report, texts))
    parts.append("<h2>The exercises' most common mistakes</h2>")
    parts.append(mistakes_table(report, texts))
    parts.append("<h2>Time spent</h2><p>Minutes between a learner's first and last answer in a "
                 f"lesson, pauses over {PAUSE_CAP_S // 60} minutes counted as {PAUSE_CAP_S // 60}. "
                 "Reading time before the first answer is not in the records.</p>")
    parts.append(time_table(report))
    parts.append("</main></body></html>")
    return "\n".join(parts)


def write(report: Report, out: str | Path) -> tuple[Path, Path]:
    """Write ``class-report.csv`` and ``class-report.html`` into the folder ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = out / "class-report.csv", out / "class-report.html"
    csv_path.write_text(to_csv(report), encoding="utf-8")
    html_path.write_text(to_html(report), encoding="utf-8")
    return csv_path, html_path

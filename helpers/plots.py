"""Pictures the lessons draw: the course map, and small chart helpers with titles and labels."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from helpers.assessment.progress import LessonScore
    from helpers.assessment.quiz import Bank

STAGES = (
    ("Pretrained\nmodel", "01 · 02", "#dbeafe"),
    ("Fine-tuning\nwith task data", "03 · 04 · 09-13", "#dcfce7"),
    ("Evaluation\n& testing", "05", "#fef9c3"),
    ("Deployment", "06", "#fce7f3"),
)


def course_map() -> "Figure":
    """Draw the course as four boxes with arrows: pretrained → fine-tuning → evaluation → deployment.

    Under each box stand the lessons that teach that stage.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    fig, ax = plt.subplots(figsize=(10, 2.6))
    width, gap = 2.0, 0.8
    for i, (label, lessons, colour) in enumerate(STAGES):
        x = i * (width + gap)
        ax.add_patch(FancyBboxPatch((x, 0.5), width, 1.2, boxstyle="round,pad=0.05",
                                    facecolor=colour, edgecolor="#334155"))
        ax.text(x + width / 2, 1.1, label, ha="center", va="center", fontsize=11)
        shown = f"lessons {lessons}" if "·" in lessons else f"lesson {lessons}"
        ax.text(x + width / 2, 0.2, shown, ha="center", va="center",
                fontsize=9, color="#475569")
        if i < len(STAGES) - 1:
            ax.add_patch(FancyArrowPatch((x + width + 0.08, 1.1), (x + width + gap - 0.08, 1.1),
                                         arrowstyle="-|>", mutation_scale=18, color="#334155"))
    ax.text(0, 2.05, "00 welcome  →  …  →  07 final test  →  08 capstone, on new data  →  "
            "09 the loop by hand  ·  10 LoRA  ·  11 a chat model  ·  12 NER  ·  13 DPO",
            fontsize=9, color="#475569")
    ax.set_xlim(-0.2, len(STAGES) * (width + gap) - gap + 0.2)
    ax.set_ylim(0, 2.3)
    ax.set_title("The course map: from a pretrained model to a deployed one")
    ax.axis("off")
    fig.tight_layout()
    return fig


def progress_chart(rows: "list[LessonScore]",
                   exercises: "list[LessonScore] | None" = None) -> "Figure":
    """Bars of your scores per lesson: the share of quiz questions answered correctly, right on
    the first try, and (when given) the share of the lesson's exercises solved."""
    import matplotlib.pyplot as plt

    rows = [r for r in rows if r.questions]
    solved = {e.lesson: e for e in exercises or [] if e.questions}
    names = [r.lesson for r in rows]
    bars = [("answered correctly", "#16a34a", [100 * r.correct / r.questions for r in rows]),
            ("right on the first try", "#86efac", [100 * r.first_try / r.questions for r in rows])]
    if exercises is not None:
        bars.append(("exercises solved", "#2563eb",
                     [100 * solved[r.lesson].correct / solved[r.lesson].questions
                      if r.lesson in solved else 0 for r in rows]))
    height = 0.8 / len(bars)
    fig, ax = plt.subplots(figsize=(8, 0.22 * len(bars) * len(rows) + 1.6))
    for k, (label, colour, values) in enumerate(bars):
        offset = (k - (len(bars) - 1) / 2) * height
        ax.barh([i + offset for i in range(len(rows))], values, height=height, color=colour,
                label=label)
    for i, r in enumerate(rows):
        extra = f", {solved[r.lesson].correct}/{solved[r.lesson].questions} ex." \
            if r.lesson in solved else ""
        ax.text(101, i, f"{r.correct}/{r.questions}{extra}", va="center", fontsize=9)
    ax.set_yticks(list(range(len(rows))), names)
    ax.invert_yaxis()
    ax.set_xlim(0, 125)
    ax.set_xlabel("% of the lesson's questions (or exercises)")
    ax.set_ylabel("lesson")
    ax.set_title("Your scores per lesson")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    return fig


def quiz_mix(bank: "Bank") -> "Figure":
    """A stacked bar chart of a quiz bank: how many questions per topic, by difficulty."""
    import collections

    import matplotlib.pyplot as plt

    mix = collections.Counter((q.topic, q.difficulty) for q in bank.questions)
    topics = sorted({t for t, _ in mix})
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(topics) + 1.2))
    left = [0] * len(topics)
    for level, colour in (("easy", "#bbf7d0"), ("medium", "#fde68a"), ("hard", "#fca5a5")):
        counts = [mix[(t, level)] for t in topics]
        ax.barh(topics, counts, left=left, color=colour, label=level)
        left = [a + b for a, b in zip(left, counts)]
    ax.set_xlabel("questions")
    ax.set_ylabel("topic")
    ax.legend()
    ax.set_title(f"{bank.title}: {len(bank.questions)} questions by topic and difficulty")
    fig.tight_layout()
    return fig

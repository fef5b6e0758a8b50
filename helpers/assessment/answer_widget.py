"""The answer control of a quiz question: a radio group, a group of checkboxes, or a number box.

ipywidgets' own radio buttons are one Tab stop per option and ignore the arrow keys, and their
labels are plain text, so Markdown such as `code` shows its backticks. This control is drawn by
``answer.js`` through anywidget (it works in JupyterLab, Notebook, VS Code and Colab): a single-
choice question is one Tab stop, the arrow keys move between the options, Enter checks, and the
labels are HTML made from the bank's Markdown. On Colab the quiz uses ``answer.CoreAnswer``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets

HERE = Path(__file__).resolve().parent


class AnswerInput(anywidget.AnyWidget):
    """The learner's answer to one question. ``value`` holds the positions picked (as shown, top
    to bottom), ``text`` the number typed; ``submits`` counts the presses of Enter."""

    _esm = (HERE / "answer.js").read_text(encoding="utf-8")
    _css = (HERE / "answer.css").read_text(encoding="utf-8")

    kind = traitlets.Unicode("single").tag(sync=True)  # "single", "multiple" or "number"
    options = traitlets.List(traitlets.Unicode()).tag(sync=True)  # each option's label, as HTML
    label = traitlets.Unicode("").tag(sync=True)  # the group's accessible name: the question
    value = traitlets.List(traitlets.Int()).tag(sync=True)
    text = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    submits = traitlets.Int(0).tag(sync=True)

    @property
    def widget(self) -> Any:
        """What the question's box shows: this control itself."""
        return self

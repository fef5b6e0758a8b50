"""The answer control of a quiz question: which one this front end gets.

Everywhere but Colab it is ``answer_widget.AnswerInput`` (anywidget): a real radio group, one Tab
stop, arrow keys, Enter, Markdown labels. On Colab it is ``CoreAnswer``, made of ipywidgets' core
controls, which Colab's own widget manager draws for sure; a third-party control there depends on
Colab's custom widget manager, loaded from the web when the quiz is shown.
"""

from __future__ import annotations

import sys
from typing import Any


class CoreAnswer:
    """The same control from ipywidgets' core controls, for Colab: its own widget manager draws
    those for sure, while a third-party control (``AnswerInput``) there depends on Colab's custom
    widget manager, loaded from the web. It has ``AnswerInput``'s traits (``value``, ``text``,
    ``disabled``, ``submits``), so the quiz uses either one in the same way; its labels are plain
    text (no Markdown), and its options are one Tab stop each, as ipywidgets draws them."""

    def __init__(self, kind: str, options: list[str], label: str) -> None:
        import ipywidgets as w

        from helpers.assessment.render import html_text

        self.kind = kind
        self.options = [html_text(o) for o in options]
        layout = w.Layout(width="auto")
        if kind == "single":
            self.radios = w.RadioButtons(options=[(t, i) for i, t in enumerate(self.options)],
                                         value=None, layout=layout)
            controls: list[Any] = [self.radios]
        elif kind == "multiple":
            self.boxes = [w.Checkbox(value=False, description=t, indent=False, layout=layout)
                          for t in self.options]
            controls = self.boxes
        else:
            self.box = w.Text(placeholder="type a number", layout=w.Layout(width="16em"))
            controls = [self.box]
        self.controls = controls
        self.widget = w.VBox(controls)
        self.widget.add_class("hfq-answer")
        self.submits = 0

    @property
    def value(self) -> list[int]:
        if self.kind == "single":
            return [] if self.radios.value is None else [self.radios.value]
        if self.kind == "multiple":
            return [i for i, box in enumerate(self.boxes) if box.value]
        return []

    @value.setter
    def value(self, positions: list[int]) -> None:
        if self.kind == "single":
            self.radios.value = positions[0] if positions else None
        elif self.kind == "multiple":
            for i, box in enumerate(self.boxes):
                box.value = i in positions

    @property
    def text(self) -> str:
        return self.box.value if self.kind == "number" else ""

    @text.setter
    def text(self, value: str) -> None:
        if self.kind == "number":
            self.box.value = value

    @property
    def disabled(self) -> bool:
        return all(c.disabled for c in self.controls)

    @disabled.setter
    def disabled(self, value: bool) -> None:
        for control in self.controls:
            control.disabled = value

    def observe(self, handler: object, name: str) -> None:
        """Enter is not wired on Colab (the Check button is): nothing to observe."""


def answer_control(kind: str, options: list[str], label: str) -> Any:
    """The answer control for this front end: ``AnswerInput`` (anywidget) everywhere but Colab,
    where it is ``CoreAnswer``. anywidget is imported only when it is used, so that Colab's
    install (``--no-deps``) does not need it."""
    if "google.colab" in sys.modules:
        return CoreAnswer(kind, options, label)
    from helpers.assessment.answer_widget import AnswerInput

    return AnswerInput(kind=kind, options=options, label=label)

"""A small demo in the notebook: type a review, see the predicted label and a confidence bar.

Built from ipywidgets core controls only (Textarea, Button, HTML, FloatProgress, VBox/HBox), so it
works on ipywidgets 7.7 (Colab) and 8; the result is shown in HTML widgets, not Output capture.
"""

from __future__ import annotations

import html
from typing import Any, Callable

COLOURS = {"positive": "success", "negative": "danger"}


def describe(prediction: dict[str, Any]) -> str:
    """One line of HTML for a pipeline prediction such as ``{"label": "positive", "score": 0.97}``."""
    label, score = prediction["label"], float(prediction["score"])
    colour = "#15803d" if label == "positive" else "#b91c1c"
    return (f"<span class='hfdemo-label' style='font-size:1.2em;color:{colour}'><b>{html.escape(label)}</b>"
            f"</span> with confidence {score:.1%}")


class Demo:
    """The widgets and the logic: ``predict`` is any function text -> pipeline-style prediction."""

    def __init__(self, predict: Callable[[str], dict[str, Any]], example: str = "") -> None:
        import ipywidgets as w

        self.predict = predict
        self.text = w.Textarea(value=example, placeholder="Type a film review…",
                               layout=w.Layout(width="100%", height="5em"))
        self.text.continuous_update = False  # update when the learner pauses, not on every key
        self.button = w.Button(description="Classify", button_style="primary")
        self.result = w.HTML()
        self.bar = w.FloatProgress(value=0, min=0, max=1, description="confidence",
                                   layout=w.Layout(width="60%"))
        for widget, name in ((self.text, "hfdemo-text"), (self.button, "hfdemo-button"),
                             (self.result, "hfdemo-result"), (self.bar, "hfdemo-bar")):
            widget.add_class(name)
        self.button.on_click(lambda _: self.update())
        self.text.observe(lambda _: self.update(), names="value")
        self.widget = w.VBox([self.text, w.HBox([self.button, self.bar]), self.result])
        if example:
            self.update()

    def update(self) -> dict[str, Any] | None:
        """Classify the current text and refresh the label and the bar."""
        text = self.text.value.strip()
        if not text:
            self.result.value = "<i>Type a review first.</i>"
            self.bar.value = 0
            return None
        prediction = self.predict(text)
        self.result.value = describe(prediction)
        self.bar.value = float(prediction["score"])
        self.bar.bar_style = COLOURS.get(prediction["label"], "")
        return prediction

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def demo(classifier: Any, example: str = "A gorgeous, moving film with a weak last act.") -> Demo:
    """A demo around a ``pipeline("text-classification", ...)``."""
    return Demo(lambda text: classifier(text)[0], example)

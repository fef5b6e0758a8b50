"""Metrics with the `evaluate` library, offline.

``evaluate.load`` with a metric *name* downloads a small Python script from the Hugging Face Hub, so it
fails without a network. The course ships the same kind of scripts in
``helpers/evaluate_metrics/``; ``evaluate.load(path)`` loads them from disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

SCRIPTS = Path(__file__).resolve().parent / "evaluate_metrics"


def metric_path(name: str) -> str:
    """The file of a local metric script: ``"accuracy"`` or ``"precision_recall_f1"``."""
    path = SCRIPTS / f"{name}.py"
    if not path.is_file():
        from helpers.core.errors import CourseError

        names = sorted(p.stem for p in SCRIPTS.glob("*.py"))
        raise CourseError(f"No local metric '{name}' in {SCRIPTS}. Available: {names}.")
    return str(path)


def load(name: str) -> Any:
    """``evaluate.load`` of a local metric script (no network needed)."""
    import evaluate

    return evaluate.load(metric_path(name))


def classification_scores(predictions: Sequence[int], references: Sequence[int]) -> dict[str, float]:
    """Accuracy, precision, recall and F1 (positive class = 1), combined with ``evaluate.combine``."""
    import evaluate

    combined = evaluate.combine([load("accuracy"), load("precision_recall_f1")])
    return combined.compute(predictions=list(predictions), references=list(references))

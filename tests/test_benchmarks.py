"""The benchmarks' own logic, without training: a grid search must end with its best inside."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from _common import extend_upwards  # noqa: E402


def search(scores: dict[float, float], grid: list[float], limit: float = 1.0) -> tuple[float, list[float]]:
    """extend_upwards over a made-up validation score per learning rate."""
    runs = [{"lr": lr, "score": scores[lr]} for lr in grid]
    best = extend_upwards(runs, lambda rs: max(rs, key=lambda r: r["score"]), lambda r: r["lr"],
                          lambda best, lr: {"lr": lr, "score": scores[lr]}, limit=limit)
    return best["lr"], [r["lr"] for r in runs]


def test_the_grid_grows_until_a_smaller_rate_wins():
    scores = {1e-4: 0.70, 2e-4: 0.75, 4e-4: 0.78, 8e-4: 0.80, 1.6e-3: 0.60}
    best, tried = search(scores, [1e-4, 2e-4, 4e-4])
    assert best == 8e-4 and tried == [1e-4, 2e-4, 4e-4, 8e-4, 1.6e-3]


def test_a_best_inside_the_grid_adds_nothing():
    best, tried = search({1e-4: 0.70, 2e-4: 0.80, 4e-4: 0.75}, [1e-4, 2e-4, 4e-4])
    assert best == 2e-4 and tried == [1e-4, 2e-4, 4e-4]


def test_the_limit_stops_a_grid_that_keeps_improving():
    scores = {lr: lr for lr in (0.1, 0.2, 0.4, 0.8)}
    best, tried = search(scores, [0.1], limit=0.4)
    assert best == 0.4 and tried == [0.1, 0.2, 0.4]


def test_lesson_05_and_the_readme_give_the_seed_figures_of_benchmarks_seeds():
    """Lesson 05 and the README quote benchmarks/seeds.py (the lesson cannot train three times in its budget)."""
    import json

    root = Path(__file__).resolve().parent.parent
    report = json.loads((root / "benchmarks" / "results" / "seeds.json").read_text())
    lesson = (root / "lessons" / "05_evaluation.ipynb").read_text()
    assert report["split"] == "validation" and len(report["runs"]) == 3
    for run in report["runs"]:
        assert f"{run['validation_accuracy']:.4f}" in lesson
    assert f"a range of {report['summary']['range']:.4f}" in lesson
    readme = (root / "README.md").read_text()
    figures = ", ".join(f"{run['validation_accuracy']:.4f}" for run in report["runs"])
    assert f"| {figures} (range {report['summary']['range']:.4f}, standard deviation {report['summary']['stdev']:.4f}) |" in readme


def test_lesson_10_calls_r_8_against_r_16_a_tie_with_the_benchmarks_figures():
    """#26: lesson 10 quotes the sweep's two best runs and the validation interval, and says tie."""
    import json

    root = Path(__file__).resolve().parent.parent
    runs = json.loads((root / "benchmarks" / "results" / "lora.json").read_text())["sweep"]["runs"]
    noise = json.loads((root / "benchmarks" / "results" / "comparisons.json").read_text())["selection_noise"]
    lesson = (root / "lessons" / "10_lora.ipynb").read_text()
    at = {run["r"]: run["validation_accuracy"] for run in runs if run["learning_rate"] == 0.004}
    width = next(r["half_width_points"] for r in noise if r["selection"].startswith("lesson 10"))
    assert f"`r = 16` reached {at[16]:.4f} against {at[8]:.4f} for `r = 8`" in lesson
    assert abs(at[8] - at[16]) * 100 < width
    assert f"about ±{width} points" in lesson and "That is a tie" in lesson

"""The README's measured figures are the ones in benchmarks/results/, so that they cannot drift."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
RESULTS = ROOT / "benchmarks" / "results"


def result(name: str) -> dict:
    return json.loads((RESULTS / f"{name}.json").read_text())


def test_the_selection_table_is_the_benchmark_s(bench_module):
    assert bench_module("finetune").selection_table(result("finetune")) in README


def test_the_budget_table_is_the_benchmark_s(bench_module):
    report = result("finetune-budget")
    assert bench_module("budget_recipe").table(report) in README
    final = report["final"]
    assert f"**test\naccuracy of {final['test_accuracy']:.4f}** after {final['train_seconds']} s" in README
    assert f"validation {final['validation_accuracy']:.4f} again" in README


def test_the_capstone_selection_table_is_the_benchmark_s(bench_module):
    capstone = bench_module("capstone")
    report = result("capstone")
    assert capstone.selection_table(report) in README
    assert all(row["selected_on"] == "validation" and not any(k.startswith("test") for k in row)
               for row in report["selection"])
    chosen = report["selected"]
    best = max((r for r in report["selection"] if r["within_budget"]),
               key=lambda r: r["validation_macro_f1"])
    assert (best["max_length"], best["learning_rate"]) == (chosen["max_length"], chosen["learning_rate"])


def test_the_lesson_09_tables_are_the_benchmark_s(bench_module):
    loop = bench_module("loop")

    report = result("loop")
    assert loop.tables(report) in README
    assert f"**{report['hand_vs_trainer']['throughput_ratio_hand_over_trainer']}×**" in README
    assert f"**{report['processes']['speedup_2_over_1']}×**" in README


def test_the_lesson_10_and_11_tables_are_the_benchmark_s(bench_module):
    lora, sft = bench_module("lora"), bench_module("sft")

    report = result("lora")
    assert lora.tables(report) in README
    best = max(report["sweep"]["runs"], key=lambda run: run["validation_accuracy"])
    assert report["sweep"]["selected"] == {"r": best["r"], "learning_rate": best["learning_rate"]}
    assert not any(k.startswith("test") for run in report["sweep"]["runs"] for k in run)
    report = result("sft")
    assert sft.table(report) in README
    best = max(report["runs"], key=lambda run: run["validation_accuracy"])
    assert report["selected"]["learning_rate"] == best["learning_rate"]
    assert not any(k.startswith("test") for run in report["runs"] for k in run)


def test_the_lesson_12_table_is_the_benchmark_s_and_the_lesson_uses_its_choice(bench_module):
    import re

    report = result("ner")
    assert bench_module("ner").table(report) in README
    best = max(report["runs"], key=lambda run: run["validation_entity_f1"])
    assert report["chosen"] == best
    assert not any(k.startswith("test") for run in report["runs"] for k in run)
    lesson = (ROOT / "lessons" / "12_token_classification.ipynb").read_text()
    found = re.search(r"learning_rate, epochs = ([0-9.e-]+), ([0-9]+) ", lesson)
    assert found and (float(found.group(1)), int(found.group(2))) == (best["learning_rate"], best["epochs"])


def test_the_lesson_13_tables_are_the_benchmark_s_and_the_lesson_uses_its_choice(bench_module):
    """#29: the validation grid and the four-way test table in the README are benchmarks/dpo.py's;
    beta and the learning rate are the grid's best on validation, with a larger learning rate
    tried at the chosen beta and betas on both sides of it; the lesson trains with them."""
    import re

    dpo = bench_module("dpo")
    report = result("dpo")
    assert dpo.grid_table(report) in README and dpo.table(report) in README
    best = max(report["runs"], key=lambda run: (run["validation_accuracy"], -run["unparseable"]))
    assert report["selected"] == {"beta": best["beta"], "learning_rate": best["learning_rate"]}
    assert not any(k.startswith("test") for run in report["runs"] for k in run)
    betas = sorted({run["beta"] for run in report["runs"]})
    assert betas[0] < best["beta"] < betas[-1], "the chosen beta lies inside the grid"
    rates = [run["learning_rate"] for run in report["runs"] if run["beta"] == best["beta"]]
    assert min(rates) < best["learning_rate"] < max(rates), "the chosen learning rate lies inside the grid"
    lesson = (ROOT / "lessons" / "13_dpo.ipynb").read_text()
    lr = re.search(r"learning_rate=([0-9.e-]+),", lesson)
    beta = re.search(r"beta=([0-9.]+),", lesson)
    assert lr and beta and (float(lr.group(1)), float(beta.group(1))) == (best["learning_rate"], best["beta"])
    assert [row["model"] for row in report["test"]] == ["zero-shot", "SFT", "DPO", "SFT then DPO"]

def test_the_main_comparisons_and_their_intervals_are_the_benchmark_s(bench_module):
    """#26: every comparison the README states comes with its paired interval and McNemar's p,
    from benchmarks/comparisons.py, and a difference whose interval holds 0 is called a tie."""
    comparisons = bench_module("comparisons")
    report = result("comparisons")
    assert report["split"] == "test"
    assert comparisons.table(report) in README
    assert comparisons.noise_table(report) in README
    for row in report["comparisons"]:
        d = row["difference"]
        assert d["low"] <= d["value"] <= d["high"]
        assert (row["verdict"] == "tie") == (d["low"] <= 0 <= d["high"])
        (line,) = [line for line in README.splitlines() if line.startswith(f"| {row['comparison']} |")]
        assert ("no difference this test set can detect" in line) == (row["verdict"] == "tie"), line
    real = sum(row["verdict"] != "tie" for row in report["comparisons"])
    words = {3: "Three", 4: "All"}.get(real, str(real))
    assert f"{words} of the four differences are real" in README
    (lora_row,) = [row for row in report["comparisons"] if row["comparison"].startswith("lesson 10")]
    assert lora_row["a"]["value"] == result("lora")["compare"]["LoRA"]["test_accuracy"]   # the same run again
    assert f"(test accuracy {lora_row['a']['value']:.4f}, as in its own run below)" in README


def _figures() -> list[tuple[str, str]]:
    f, s, a = result("finetune"), result("serve"), result("assets")
    final, q, lessons = f["final"], s["quantization"], result("lessons")["lessons"]
    figures = [
        ("recipe test accuracy", f"{final['test_accuracy']:.4f} in {final['train_seconds']} s"),
        ("recipe test accuracy (prose)", f"test accuracy of {final['test_accuracy']:.4f}"),
        ("repeat", f"{f['repeat']['first_validation_accuracy']:.4f} and {f['repeat']['second_validation_accuracy']:.4f}"),
        ("Trainer vs loop", f"= {f['trainer_vs_loop']['trainer_over_loop']}"),
        ("dynamic padding", f"{f['padding']['dynamic_speedup']}× faster"),
        ("FLOP/s", f"{f['flops']['training_gflops_per_s']} ÷ {f['flops']['matmul_gflops_bf16']}"),
        ("latency", f"{s['latency_ms']['p50']} / {s['latency_ms']['p95']} ms"),
        ("batching", f"= {s['texts_per_s']['batched_over_unbatched']}×"),
        ("int8 latency", f"{q['int8_ms_per_batch_32']} ÷ {q['fp32_ms_per_batch_32']} ms"),
        ("int8 accuracy", f"{q['int8_test_accuracy']} vs. {q['fp32_test_accuracy']}"),
        ("warm prefetch", f"| {a['warm_cli_median_s']:.2f} s |"),
    ]
    c = result("capstone")
    figures += [
        ("capstone test", f"**accuracy\n{c['final']['test_accuracy']:.4f}, macro-F1 {c['final']['test_macro_f1']:.4f}** after "
                          f"{c['final']['train_seconds']} s"),
        ("capstone baseline", f"accuracy {c['baseline_tfidf']['test_accuracy']:.4f}, macro-F1 "
                              f"{c['baseline_tfidf']['test_macro_f1']:.4f}"),
        ("capstone data", f"{c['data']['kept']:,} kept; a stratified split of {c['data']['train']:,} / "
                          f"{c['data']['validation']} / {c['data']['test']}"),
    ]
    e = result("exercises")["summary"]
    figures.append(("exercise checks", f"over the {e['exercises']} reference solutions: a first check "
                    f"(which builds the check's\ninputs) takes a median of {e['first_check_median_s']} s "
                    f"and at most {e['first_check_max_s']} s; a repeat at most {e['repeat_check_max_s']} s"))
    if "cold_fetch_s" in a:
        figures.append(("cold fetch", f"| {a['cold_fetch_s']:.1f} s |"))
    if isinstance(s.get("quantization_torchao"), dict):
        figures.append(("torchao", f"{s['quantization_torchao']['ms_per_batch_32']} ÷ {q['fp32_ms_per_batch_32']} ms"))
    for lesson, row in lessons.items():
        figures.append((f"lesson {lesson}", f"{row['seconds']} s"))
    return figures


@pytest.mark.parametrize("what,figure", _figures(), ids=[w for w, _ in _figures()])
def test_readme_shows_the_measured_figure(what, figure):
    assert figure in README, f"README.md should show {what} as measured: '{figure}'"

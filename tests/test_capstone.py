"""Lesson 08's data facts, checked against the pinned articles: what the lesson and its quiz say
about encoding, duplicates, balance and the split stays true. The lesson itself runs under nbval
and asserts the same two cleaning facts (no duplicate left, none across the split) in its cells;
benchmarks/capstone.py follows the same steps."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

import helpers

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import capstone  # noqa: E402

sys.path.pop(0)


@pytest.fixture(scope="module")
def parts(course_cache):
    return capstone.splits()


def test_one_file_is_cp1252_and_its_pound_sign_survives(course_cache):
    folder = helpers.news_folder()
    failing = []
    for path in sorted(folder.glob("*/*.txt")):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            failing.append(path)
    assert [f"{p.parent.name}/{p.name}" for p in failing] == ["sports/199.txt"]
    text = capstone.decode(failing[0].read_bytes())
    assert "a £15.8m signing" in text
    assert not any("Â£" in capstone.decode(p.read_bytes()) for p in folder.glob("*/*.txt"))


def test_duplicates_are_what_the_lesson_says(course_cache):
    texts = [capstone.decode(p.read_bytes()) for p in sorted(helpers.news_folder().glob("*/*.txt"))]
    counts = Counter(texts)
    assert sum(n - 1 for n in counts.values() if n > 1) == 98
    assert max(counts.values()) == 2


def test_cleaned_split_has_no_duplicate_and_no_crossing_headline(parts):
    assert parts["kept"] == 2225 - 98 - 31
    names = ("train", "validation", "test")
    texts = [t for n in names for t in parts[n]["text"]]
    assert len(texts) == len(set(texts)) == parts["kept"]
    heads = {n: {t.split("\n")[0].strip().lower() for t in parts[n]["text"]} for n in names}
    assert not (heads["train"] & heads["validation"] or heads["train"] & heads["test"]
                or heads["validation"] & heads["test"])


def test_split_is_stratified_and_the_topics_unequal(parts):
    total = Counter(parts["train"]["label"]) + Counter(parts["validation"]["label"]) + \
        Counter(parts["test"]["label"])
    for name in ("train", "validation", "test"):
        share = {k: v / len(parts[name]) for k, v in Counter(parts[name]["label"]).items()}
        for label, n in total.items():
            assert abs(share[label] - n / parts["kept"]) < 0.02, (name, label)
    assert max(total.values()) / min(total.values()) > 1.3   # "not of equal size"


def _lesson_function(name: str):
    """A function as lesson 08 defines it, taken from the notebook's own cell."""
    import nbformat

    nb = nbformat.read(ROOT / "lessons" / "08_capstone.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and f"def {name}(" in c.source)
    source = cell.source.split("\nfolder = ")[0]          # the definition, not the demo below it
    namespace: dict = {}
    exec(source, namespace)  # noqa: S102
    return namespace[name]


def test_the_csv_template_names_the_file_the_column_or_row_and_the_fix(tmp_path):
    load = _lesson_function("load_labelled_csv")
    good = tmp_path / "good.csv"
    good.write_text("text,label\nShares rose,business\nA film opens,entertainment\n")
    assert load(good).features["label"].names == ["business", "entertainment"]
    (tmp_path / "no_text.csv").write_text("headline,label\nShares rose,business\n")
    with pytest.raises(ValueError, match=r"no_text\.csv: no column 'text'; the columns are "
                                         r"\['headline', 'label'\]\. Rename the header"):
        load(tmp_path / "no_text.csv")
    (tmp_path / "empty.csv").write_text("text,label\nShares rose,business\nA film opens,\n")
    with pytest.raises(ValueError, match=r"empty\.csv, row 3: the label is empty\. Fill it in"):
        load(tmp_path / "empty.csv")

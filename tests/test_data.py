"""The review splits: grouped by movie, deterministic, clean, with stable sizes and labels."""

from __future__ import annotations

import hashlib

import pytest

import helpers


@pytest.fixture(scope="module")
def reviews(course_cache):
    return helpers.load_reviews()


def test_columns_and_label_names(reviews):
    for split in reviews.values():
        assert split.column_names == ["text", "label", "movie"]
        assert split.features["label"].names == ["negative", "positive"]


def test_split_sizes_and_balance_are_stable(reviews):
    table = helpers.split_summary(reviews)
    assert table.loc["train", ["reviews", "negative", "positive"]].tolist() == [9202, 3782, 5420]
    assert table.loc["validation", ["reviews", "negative", "positive"]].tolist() == [994, 457, 537]
    assert table.loc["test", ["reviews", "negative", "positive"]].tolist() == [2556, 1145, 1411]
    assert table["movies"].tolist() == [364, 41, 102]


def test_no_movie_in_two_splits(reviews):
    movies = {name: set(split["movie"]) for name, split in reviews.items()}
    assert not movies["train"] & movies["validation"]
    assert not movies["train"] & movies["test"]
    assert not movies["validation"] & movies["test"]


def test_plots_and_duplicates_removed(reviews):
    texts = [t for split in reviews.values() for t in split["text"]]
    assert len(texts) == len(set(texts)) == 12752
    assert set(reviews["train"]["label"]) == {0, 1}


def test_split_is_deterministic(reviews):
    again = helpers.load_reviews()

    def digest(data):
        joined = "\n".join(f"{t}\t{l}" for t, l in zip(data["text"], data["label"]))
        return hashlib.sha256(joined.encode()).hexdigest()

    for name in reviews:
        assert digest(reviews[name]) == digest(again[name])

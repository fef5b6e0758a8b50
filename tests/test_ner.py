"""Lesson 12's own code, run from its tagged cells: the BIO reader and its errors, the split, the
alignment of labels to tokens, the memorising baseline and the metric's read-back."""

from __future__ import annotations


import pytest

import helpers

STEM = "12_token_classification"


@pytest.fixture(scope="module")
def lesson():
    """The lesson's data cells run in order, with the course's answers to its exercises."""
    return helpers.course.run_tagged_cells(STEM, "ner", "data", {"helpers": helpers, "__name__": "__main__"},
                                           quiet=True)


def test_the_reader_reads_every_tweet_of_the_pinned_file(lesson):
    tweets = lesson["read_bio"](helpers.tweets_ner_path())
    assert len(tweets) == 2394
    assert sum(len(t["tokens"]) for t in tweets) == 46469
    assert all(len(t["tokens"]) == len(t["ner_tags"]) for t in tweets)
    assert tweets[0]["tokens"][:2] == ["@paulwalk", "It"]


@pytest.mark.parametrize("text, line, words", [
    ("Empire\tB-facility\nState\n", 2, "expected a word, a tab and a tag"),
    ("ok\tO\n\nEmpire\tB-building\n", 3, "unknown tag 'B-building'"),
    ("the\tO\nState\tI-facility\n", 2, "I-facility follows 'O'"),
    ("State\tI-facility\n", 1, "I-facility follows the start of the tweet"),
    ("Paris\tB-geo-loc\nHilton\tI-person\n", 2, "I-person follows 'B-geo-loc'"),
    ("\tO\n", 1, "expected a word, a tab and a tag"),
])
def test_a_malformed_line_is_named_with_its_number(lesson, tmp_path, text, line, words):
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        lesson["read_bio"](path)
    assert f"{path}, line {line}: " in str(err.value) and words in str(err.value)


def test_a_file_without_a_final_blank_line_keeps_its_last_tweet(lesson, tmp_path):
    path = tmp_path / "two.txt"
    path.write_text("Empire\tB-facility\nState\tI-facility\n\t\nhi\tO", encoding="utf-8")
    assert [t["tokens"] for t in lesson["read_bio"](path)] == [["Empire", "State"], ["hi"]]


def test_the_split_has_no_tweet_on_two_sides_and_uses_every_kept_tweet(lesson):
    splits = lesson["splits"]
    texts = {name: [" ".join(t).lower() for t in part["tokens"]] for name, part in splits.items()}
    assert sum(len(t) for t in texts.values()) == len(lesson["keep"]) == 2394 - 99
    every = [t for part in texts.values() for t in part]
    assert len(set(every)) == len(every)


def test_every_word_keeps_exactly_one_label_after_alignment(lesson):
    """The first token of each word carries its tag; nothing else does (unless cut at 128)."""
    for words, tags, row in zip(lesson["splits"]["train"]["tokens"], lesson["splits"]["train"]["ner_tags"],
                                lesson["tokenized"]["train"]):
        kept = [label for label in row["labels"] if label != -100]
        if len(row["input_ids"]) < 128:
            assert kept == tags
        else:
            assert kept == tags[:len(kept)]


def test_to_tags_reads_back_one_tag_per_word(lesson):
    import numpy as np

    row = lesson["tokenized"]["validation"][0]
    labels = np.array([row["labels"]])
    logits = np.eye(len(lesson["LABELS"]))[np.where(labels == -100, 0, labels)]
    true, predicted = lesson["to_tags"](logits, labels)
    words = lesson["splits"]["validation"][0]["ner_tags"]
    assert true == predicted == [lesson["tag_names"].int2str(words)]


def test_the_memory_baseline_tags_seen_words_by_their_most_frequent_tag_and_others_o(lesson):
    memorise, by_word = lesson["memorise"], lesson["by_word"]
    word, counts = max(by_word.items(), key=lambda item: sum(item[1][t] for t in item[1] if t != "O"))
    assert memorise([word.upper(), "zzzunseen"]) == [counts.most_common(1)[0][0], "O"]
    assert lesson["token_accuracy"]([["O", "B-person"]], [["O", "O"]]) == 0.5

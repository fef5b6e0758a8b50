"""Fair quizzes: a learner who knows nothing must not be able to score by the form of a question.

Guards every bank against the giveaways an expert review found: the key as the longest option,
true/false keys that are nearly always "False", hints that name the answer, and a final test that
repeats lesson questions or skips a stage of the course. The difficulty rubric is written down
in quizzes/README.md.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

import pytest

from helpers import quiz

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import seed_fingerprint  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed"
BANKS = {name: quiz.load_bank(name) for name in quiz.bank_names()}
ALL = [(name, q) for name, bank in BANKS.items() for q in bank.questions]
LESSON_QUESTIONS = [q for name, q in ALL if name != "final_test"]
FINAL = BANKS["final_test"].questions

# Each quiz topic belongs to one stage of the course map (README, lesson 00).
STAGE_OF_TOPIC = {
    "pretrained models": "pretrained model", "embeddings": "pretrained model", "pipeline": "pretrained model",
    "tokenization": "tokenization",
    "training data": "training data",
    "fine-tuning": "fine-tuning", "TrainingArguments": "fine-tuning", "Trainer": "fine-tuning",
    "training loop": "fine-tuning", "distributed training": "fine-tuning", "LoRA": "fine-tuning",
    "supervised fine-tuning": "fine-tuning", "text generation": "pretrained model",
    "token classification": "fine-tuning", "preference optimization": "fine-tuning",
    "evaluation": "evaluation", "overfitting": "evaluation", "uncertainty": "evaluation",
    "deployment": "deployment",
    "course": None,
}
STAGES = {s for s in STAGE_OF_TOPIC.values() if s}


def plain(text: str) -> str:
    """Lower case, without Markdown code marks, quotes or extra spaces."""
    return re.sub(r"\s+", " ", re.sub(r"[`*_\"']", "", text)).strip().lower()


def key_lengths(q: quiz.Question) -> tuple[list[int], list[int]]:
    right = [len(plain(c.text)) for c in q.choices if c.correct]
    wrong = [len(plain(c.text)) for c in q.choices if not c.correct]
    return right, wrong


SINGLE = [(n, q) for n, q in ALL if q.type == "single"]
MULTIPLE = [(n, q) for n, q in ALL if q.type == "multiple"]


def test_the_key_is_the_longest_or_shortest_option_about_as_often_as_chance():
    """Neither "pick the longest" nor "never pick the longest" (nor the same with the shortest)
    may beat guessing: each happens about as often as chance would have it."""
    chance = sum(1 / len(q.choices) for _, q in SINGLE)
    longest = [q.id for _, q in SINGLE if key_lengths(q)[0][0] > max(key_lengths(q)[1])]
    shortest = [q.id for _, q in SINGLE if key_lengths(q)[0][0] < min(key_lengths(q)[1])]
    for name, hits in (("longest", longest), ("shortest", shortest)):
        assert chance / 2 <= len(hits) <= 1.25 * chance, (
            f"the key is strictly the {name} option in {len(hits)} of {len(SINGLE)} single-choice "
            f"questions; chance is {chance:.1f}: {hits}")


@pytest.mark.parametrize("name,question", SINGLE, ids=[q.id for _, q in SINGLE])
def test_no_single_choice_key_stands_out_by_length(name, question):
    right, wrong = key_lengths(question)
    assert right[0] <= 1.2 * max(wrong), (
        f"quizzes/{name}.yaml '{question.id}': the key has {right[0]} characters, the longest other "
        f"option {max(wrong)}. Make the options alike in length and form.")


@pytest.mark.parametrize("name,question", MULTIPLE, ids=[q.id for _, q in MULTIPLE])
def test_correct_options_of_a_multiple_choice_question_are_not_longer(name, question):
    right, wrong = key_lengths(question)
    mean = lambda xs: sum(xs) / len(xs)  # noqa: E731
    assert mean(right) <= 1.25 * mean(wrong), (
        f"quizzes/{name}.yaml '{question.id}': correct options average {mean(right):.0f} characters, "
        f"wrong ones {mean(wrong):.0f}.")
    assert len(right) < len(question.choices), f"'{question.id}': every option is correct"


def test_true_false_keys_are_balanced():
    keys = [next(c.text for c in q.choices if c.correct) for _, q in ALL if q.type == "true_false"]
    assert abs(keys.count("True") - keys.count("False")) <= 1, \
        f"true/false keys: {keys.count('True')} True, {keys.count('False')} False"


@pytest.mark.parametrize("name,question", ALL, ids=[q.id for _, q in ALL])
def test_hints_point_at_the_idea_not_at_an_option(name, question):
    right = [c.text for c in question.choices if c.correct]
    wrong = [c.text for c in question.choices if not c.correct]
    where = f"quizzes/{name}.yaml '{question.id}'"
    for hint in question.hints:
        if question.type != "true_false":
            for key in right:
                assert plain(key) not in plain(hint), f"{where}: a hint contains the key '{key}'"
            for span in re.findall(r"`([^`]+)`", hint):  # code named in the hint
                in_right = any(span in text for text in right)
                in_wrong = any(span in text for text in wrong)
                assert not (in_right and not in_wrong), f"{where}: the hint's `{span}` appears only in the key"
        if question.type == "numeric":
            assert not re.search(rf"(?<![\d.]){re.escape(f'{question.answer:g}')}(?![\d.])", hint), \
                f"{where}: a hint contains the answer"
        assert not re.search(r"\b(one|two|three|four|all) of (the|them|these)\b", hint, re.I), \
            f"{where}: a hint tells how many options are right: {hint!r}"


def test_difficulty_rubric_is_written_down():
    readme = (ROOT / "quizzes" / "README.md").read_text()
    for level in ("easy", "medium", "hard"):
        assert re.search(rf"^\| *\*\*{level}\*\* *\|", readme, re.M), f"quizzes/README.md lacks the {level} row"


def test_every_topic_belongs_to_a_stage():
    unknown = {q.topic for _, q in ALL} - set(STAGE_OF_TOPIC)
    assert not unknown, f"add these topics to STAGE_OF_TOPIC: {unknown}"


def test_final_test_covers_every_stage():
    covered = {STAGE_OF_TOPIC[q.topic] for q in FINAL}
    assert STAGES <= covered, f"the final test skips: {sorted(STAGES - covered)}"


@pytest.mark.parametrize("question", FINAL, ids=[q.id for q in FINAL])
def test_final_test_does_not_repeat_a_lesson_question(question):
    for other in LESSON_QUESTIONS:
        ratio = difflib.SequenceMatcher(None, plain(question.prompt), plain(other.prompt)).ratio()
        assert ratio < 0.6, f"final '{question.id}' reads like lesson question '{other.id}' ({ratio:.2f})"
        assert plain(question.answer_text()) != plain(other.answer_text()) or question.type == "true_false", \
            f"final '{question.id}' has the same answer as '{other.id}'"


def _copied(text: str, fingerprint: set[str]) -> bool:
    """Whether ``text`` (3 words or more) appears word for word in the source document: the
    whole of it when it is short, every 8-word run of it when it is longer."""
    found = seed_fingerprint.words(text)
    if len(found) < 3:
        return False
    size = min(len(found), max(seed_fingerprint.SIZES))
    return all(seed_fingerprint.digest(found[i:i + size]) in fingerprint
               for i in range(len(found) - size + 1))


def test_no_option_copies_the_seed():
    """Runs everywhere: the source itself is not shipped, only its fingerprint."""
    fingerprint = set(seed_fingerprint.FINGERPRINT.read_text(encoding="utf-8").split())
    copied = [(n, q.id, c.text) for n, q in ALL for c in q.choices
              if len(plain(c.text)) > 20 and _copied(c.text, fingerprint)]
    assert not copied, f"options copied from the seed; write your own: {copied}"


def test_the_copy_check_finds_a_copied_option_and_passes_a_new_one():
    fingerprint = seed_fingerprint.runs("A tokenizer splits text into tokens, and the model reads their ids.")
    assert _copied("the model reads their ids", fingerprint)
    assert _copied("A tokenizer splits text into tokens, and the model reads", fingerprint)
    assert not _copied("the model reads every review twice", fingerprint)


def test_the_seed_fingerprint_is_current():
    """Where the source document sits beside the repository (course authors, CI), the committed
    fingerprint must be made from it: `python scripts/seed_fingerprint.py` rewrites it."""
    if not SEED.is_dir():
        pytest.skip(f"no source document at {SEED}: learners and teachers do not have it")
    committed = set(seed_fingerprint.FINGERPRINT.read_text(encoding="utf-8").split())
    assert committed == seed_fingerprint.seed_runs(), "run `python scripts/seed_fingerprint.py`"


# --------------------------------------------------------------------------- found in the exercise-check trial


def test_lora_count_key_is_not_the_size_of_a_full_matrix():
    """A learner who counts one full 384 x 384 matrix must not be marked right."""
    q = BANKS["10_lora"].question("lora-count")
    assert q.answer != 384 * 384 and q.answer == 6 * 2 * 4 * (384 + 384)
    full = next(c for c in q.choices if c.text == str(384 * 384))
    assert "full" in full.feedback


@pytest.mark.parametrize("bank,qid,giveaways", [
    ("11_chat_sft", "sft-left-padding", ["last position", "after the last"]),
    ("08_capstone", "cap-choose-cut", ["validation", "choosing settings"]),
    ("10_lora", "lora-b-zero", ["b a x", "all zeros", "exactly what the pretrained"]),
])
def test_hints_that_restated_the_key_no_longer_do(bank, qid, giveaways):
    q = BANKS[bank].question(qid)
    for hint in q.hints:
        for words in giveaways:
            assert words not in plain(hint), (qid, hint)


def test_the_key_is_not_longest_more_often_than_chance_in_the_newer_banks():
    """Banks 08-11, the ones written last: at most chance (one in four) single-choice keys are
    strictly the longest option."""
    newer = [q for name, q in SINGLE if name[:2] in ("08", "09", "10", "11")]
    longest = [q.id for q in newer if key_lengths(q)[0][0] > max(key_lengths(q)[1])]
    assert len(longest) <= round(sum(1 / len(q.choices) for q in newer)), longest

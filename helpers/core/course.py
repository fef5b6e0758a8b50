"""Facts about the course itself: its lessons, where it lives, and how Colab installs it.

Forking the course? Change ``REPOSITORY`` and ``BRANCH`` here, then run ``hfcourse badges`` to
rewrite every Colab badge in the README and the lessons.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DISTRIBUTION = "hf-finetuning-course"
REPOSITORY = "https://github.com/hf-finetuning-course/course"
BRANCH = "main"


@dataclass(frozen=True)
class Lesson:
    stem: str  # file name without .ipynb; also the quiz bank's name
    title: str
    promise: str

    @property
    def notebook(self) -> str:
        return f"lessons/{self.stem}.ipynb"


LESSONS: tuple[Lesson, ...] = (
    Lesson("00_welcome", "Welcome", "The course map, how quizzes work, and a first look at the model"),
    Lesson("01_pretrained_models", "Pretrained models",
           "What pretraining buys: embeddings, similarity, zero-shot and a linear probe"),
    Lesson("02_tokenization", "Tokenization",
           "Subwords, special tokens, padding, attention masks and dynamic padding"),
    Lesson("03_training_data", "Training data",
           "Duplicates, balance, leakage, and what label noise does to accuracy"),
    Lesson("04_fine_tuning", "Fine-tuning with Trainer",
           "TrainingArguments, Trainer, curves, and fine-tuning against training from scratch"),
    Lesson("05_evaluation", "Evaluation and testing",
           "Metrics, confusion matrix, error analysis, baselines and early stopping"),
    Lesson("06_deployment", "Deployment",
           "pipeline, a demo widget, an HTTP service, quantization and a model card"),
    Lesson("07_final_test", "Final test", "Ten questions across the course, and your progress"),
    Lesson("08_capstone", "Capstone: your own data, a new task",
           "A folder of news articles to a 5-topic classifier, in plain library code"),
    Lesson("09_training_loop", "The training loop by hand, then on several processes",
           "Trainer's loop written out and matched step by step, then accelerate on two processes"),
    Lesson("10_lora", "LoRA with peft",
           "Adapters on lesson 04's classifier: accuracy, time, memory and size against a full fine-tune"),
    Lesson("11_chat_sft", "Supervised fine-tuning of a small chat model",
           "SmolLM2-135M-Instruct: chat templates, generation, and SFT with TRL and LoRA"),
    Lesson("12_token_classification", "A label for every word: named entities in tweets",
           "Token classification: BIO tags, label alignment with -100, and entity-level F1"),
    Lesson("13_dpo", "Teaching a chat model what to prefer: DPO",
           "Preference pairs from the model's own replies, the DPO loss by hand and with TRL, LoRA"),
)


def repo_root() -> Path:
    """The folder that holds ``lessons/`` (the course checkout)."""
    here = Path(__file__).resolve().parents[2]  # helpers/core/course.py -> the checkout
    if (here / "lessons").is_dir():
        return here
    return Path.cwd()


def colab_url(notebook: str) -> str:
    """The Colab address that opens ``notebook`` (a path such as ``lessons/00_welcome.ipynb``)."""
    path = REPOSITORY.removeprefix("https://").removeprefix("github.com/")
    return f"https://colab.research.google.com/github/{path}/blob/{BRANCH}/{notebook}"


# The badge picture is shipped, so that no lesson loads a picture from the web. Its path as seen
# from a lesson (in lessons/) and from the README (at the top of the checkout):
LESSON_BADGE_IMAGE = "images/colab-badge.svg"
BADGE_IMAGE = "lessons/" + LESSON_BADGE_IMAGE


def colab_badge(notebook: str, image: str = LESSON_BADGE_IMAGE) -> str:
    """A Markdown 'Open in Colab' badge for ``notebook``. ``image`` is the badge picture's path
    relative to the file that shows it: ``images/...`` from a lesson, ``lessons/images/...`` from
    the README. A relative path works offline, on GitHub and in JupyterLab."""
    return f"[![Open In Colab]({image})]({colab_url(notebook)})"


def colab_install_command() -> str:
    """The pip command that installs the course on Colab without touching Colab's own stack.

    ``--no-deps`` keeps Colab's torch (a CUDA build), transformers and ipywidgets exactly as they
    are, so the runtime needs no restart. The libraries Colab lacks, evaluate and lesson 12's
    seqeval, are added by name; their own needs (datasets, pandas, scikit-learn, ...) are already
    on Colab. So are lessons 10 and 11's peft,
    trl and gguf, whose own needs Colab has too. trl stays below 1.0: every trl 1.x asks for
    datasets 4.7 or later, Colab ships 4.0, and ``--no-deps`` would not notice; trl 0.29.1 takes
    datasets 4.0 (the Colab-version suite installs it under Colab's versions and runs lesson 11).
    """
    return (f'pip install -q --no-deps "{DISTRIBUTION} @ git+{REPOSITORY}@{BRANCH}" '
            '"evaluate>=0.4" "seqeval>=1.2.2" "peft>=0.18" "trl>=0.29.1,<1" "gguf>=0.17.1"')


def tagged_cells(stem: str, key: str, value: str) -> list[str]:
    """The sources of lesson ``stem``'s code cells whose metadata holds ``key: value``.

    Lesson 09 tags the cells that define its training loop (``"loop": "definition"``), so that
    the tests and ``benchmarks/loop.py`` run the loop exactly as the lesson writes it. Where a
    cell takes the learner's answer (``name = ex.answer()``), the course's reference is used.
    """
    import json

    import re

    notebook = json.loads((repo_root() / "lessons" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(cell["source"]) for cell in notebook["cells"]
               if cell["cell_type"] == "code" and cell.get("metadata", {}).get(key) == value]
    # Outside the lesson there is no learner: `name = ex.answer()` becomes the course's own code.
    return [re.sub(r"^(\w+) = ex\.answer\(\)",
                   r'import helpers; \1 = helpers.exercises.reference("\1")', s, flags=re.M)
            for s in sources]


def run_tagged_cells(stem: str, key: str, value: str, namespace: dict, quiet: bool = False) -> dict:
    """Run lesson ``stem``'s cells tagged ``key: value`` (``tagged_cells``) in order, in
    ``namespace``, as the lesson writes them, and return it; ``quiet`` hides what they print.
    The tests and benchmarks use this to run a lesson's own code rather than a copy of it."""
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()) if quiet else contextlib.nullcontext():
        for source in tagged_cells(stem, key, value):
            exec(compile(source, f"lessons/{stem}.ipynb", "exec"), namespace)  # noqa: S102
    return namespace

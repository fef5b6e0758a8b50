"""helpers: the small package that the course notebooks import.

One module per idea, grouped by concern into layers. A module imports only its own layer and the
layers below it, with no circle (``pyproject.toml``, ``[tool.hfcourse.layers]``; checked by
``tests/test_imports.py``). From the top down:

- **tools**: ``cli`` (the ``hfcourse`` command), ``environment`` (``setup()`` and ``doctor()``),
  ``lab`` (the JupyterLab that ``hfcourse start`` runs), ``workcopy`` (your own copies of the
  lessons), ``storage`` (what the course keeps on disk, and ``hfcourse clean``), ``plots`` (the
  course's pictures), ``lesson_scripts`` (the training scripts lesson 09 launches).
- **classroom**: ``handin`` (your progress in one file for your teacher), ``classreport`` (a
  class's hand-ins read into one report, and its CSV), ``classpage`` (the report's HTML page and
  figures), ``answerkey`` (the teacher's key).
- **assessment**: ``quiz`` (quiz banks and widgets), ``exercises`` (coding exercises with
  specific feedback), ``assessment`` (the core both share: schema, grading, rendering, widgets),
  ``exam`` (exam mode for the final test), ``progress`` (your saved attempts), ``scores`` (your
  quiz and exercise scores per lesson).
- **serving**: ``serve`` (the fine-tuned model as an HTTP service), ``demo`` (a review box and
  its prediction, in the notebook).
- **training**: ``training`` (lesson 04's recipe and Trainer helpers), ``launch`` (training
  scripts on several processes), ``memory`` (where a step's memory goes), ``llm`` (the chat
  model of lesson 11), ``quantization`` (int8 against fp32), ``modelcard`` (a saved model's
  README).
- **data**: ``data`` (the review and news splits), ``embeddings`` (sentence vectors),
  ``batching`` (padding and the cost of a step), ``baselines`` (quick classifiers to beat),
  ``metrics`` (metrics with ``evaluate``, offline), ``evaluate_metrics`` (their local scripts),
  ``uncertainty`` (how sure a score is: bootstrap intervals, paired tests).
- **assets**: ``assets`` (the pinned model and data, fetched once and checked by hash),
  ``pipfetch`` (the pip driver and the sha256 check under it).
- **core**: ``course`` (the course's facts: lessons, badges, the repository), ``errors`` (the
  course's one exception type), ``settings`` (every ``HFCOURSE_*`` variable, one spelling of on
  and off), ``device`` (the device, and one rule for mixed precision), ``threads`` (torch's CPU
  threads fitted to a shared machine), ``cache`` (the course cache, every folder in it named
  once).
"""

from __future__ import annotations

import os

# The course never calls the Hugging Face Hub. huggingface_hub reads these when it is first
# imported, so they are set here, before transformers or datasets is imported by any lesson.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from .assets import (  # noqa: E402
    base_model_path, cache_dir, ensure_assets, news_folder, reviews_csv_path, tweets_ner_path,
)
from .data import LABEL_NAMES, load_reviews, split_summary  # noqa: E402
from .environment import setup  # noqa: E402
from .errors import CourseError  # noqa: E402
from . import (  # noqa: E402,F401  (helpers.quiz.show(...), helpers.plots.course_map(), ...)
    answerkey, assessment, baselines, batching, cache, classpage, classreport, course, demo, device,
    embeddings, environment, exam, exercises, handin, launch, llm, memory, metrics, modelcard,
    plots, progress, quantization, quiz, scores, serve, settings, storage, threads, training,
    uncertainty,
)

__all__ = [
    "CourseError",
    "LABEL_NAMES",
    "base_model_path",
    "cache_dir",
    "ensure_assets",
    "load_reviews",
    "news_folder",
    "reviews_csv_path",
    "tweets_ner_path",
    "setup",
    "split_summary",
]

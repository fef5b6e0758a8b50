"""helpers: the small package that the course notebooks import.

One module per concept: ``assets`` (pinned model and data), ``data`` (the review splits),
``environment`` (``setup()`` and ``doctor()``), ``embeddings`` (sentence vectors), ``baselines``
(quick classifiers to beat), ``quiz`` (quiz banks and widgets), ``exercises`` (coding exercises
with specific feedback), ``assessment`` (the core both share), ``progress`` (your saved
attempts), ``scores`` (your quiz and exercise scores per lesson), ``plots`` (the course's
pictures), ``launch`` (training scripts on several processes), ``course`` (lessons and badges),
``threads`` (torch's CPU threads fitted to a shared machine), ``settings`` (every
``HFCOURSE_*`` variable, what it does, one spelling of on and off), ``uncertainty`` (how sure a
score is: bootstrap intervals, paired tests), the classroom's ``handin`` (your
progress in one file for your teacher), ``classreport``, ``answerkey`` and ``exam`` (exam mode
for the final test), ``workcopy`` (your own copies of the lessons, which ``hfcourse start``
opens), ``lab`` (the JupyterLab that ``hfcourse start`` runs), and ``cli`` (the ``hfcourse``
command).
"""

from __future__ import annotations

import os

# The course never calls the Hugging Face Hub. huggingface_hub reads these when it is first
# imported, so they are set here, before transformers or datasets is imported by any lesson.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from .assets import (  # noqa: E402
    base_model_path, cache_dir, ensure_assets, news_folder, reviews_csv_path,
)
from .data import LABEL_NAMES, load_reviews, split_summary  # noqa: E402
from .environment import setup  # noqa: E402
from .errors import CourseError  # noqa: E402
from . import (  # noqa: E402,F401  (helpers.quiz.show(...), helpers.plots.course_map(), ...)
    answerkey, assessment, baselines, batching, classreport, course, demo, embeddings, environment,
    exam, exercises, handin, launch, llm, memory, metrics, modelcard, plots, progress, quantization,
    quiz, scores, serve, settings, storage, threads, training, uncertainty,
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
    "setup",
    "split_summary",
]

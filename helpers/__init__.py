"""helpers: the small package that the course notebooks import.

Grouped by concern into subpackages, each a layer. A module imports only its own layer and the
layers below it, with no circle (``pyproject.toml``, ``[tool.hfcourse.layers]``; checked by
``tests/test_imports.py``). Each subpackage's docstring names its modules and what it may import.
From the top down:

- **tools** (this folder): ``cli`` (the ``hfcourse`` command), ``environment`` (``setup()`` and
  ``doctor()``), ``lab`` (the JupyterLab that ``hfcourse start`` runs), ``workcopy`` (your own
  copies of the lessons), ``storage`` (what the course keeps on disk, and ``hfcourse clean``),
  ``plots`` (the course's pictures), ``lesson_scripts`` (the training scripts lesson 09 launches).
- **classroom**: ``handin``, ``classreport``, ``classpage``, ``answerkey``.
- **assessment**: ``quiz``, ``exercises``, ``exam``, ``scores``, ``progress``, and the core they
  share: ``schema``, ``grading``, ``render``, ``widgets``, ``recording``, ``checking``, ``files``,
  ``answer``, ``answer_widget``.
- **serving**: ``serve``, ``demo``.
- **training**: ``recipe``, ``launch``, ``memory``, ``llm``, ``quantization``, ``modelcard``.
- **data**: ``loading``, ``embeddings``, ``batching``, ``baselines``, ``metrics``,
  ``evaluate_metrics``, ``uncertainty``.
- **assets**: ``pinned``, ``pipfetch``.
- **core**: ``course``, ``errors``, ``settings``, ``device``, ``threads``, ``cache``.

The lessons call modules by short names, as they did before the subpackages existed:
``helpers.quiz`` is ``helpers.assessment.quiz``, ``helpers.uncertainty`` is
``helpers.data.uncertainty`` (the table ``SHORT_NAMES`` below). ``import helpers.quiz`` and
``from helpers.quiz import show`` work too. Inside ``helpers`` itself, modules use the full names.
"""

from __future__ import annotations

import importlib
import os
import sys

# The course never calls the Hugging Face Hub. huggingface_hub reads these when it is first
# imported, so they are set here, before transformers or datasets is imported by any lesson.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from helpers.assets import (  # noqa: E402
    base_model_path, cache_dir, ensure_assets, news_folder, reviews_csv_path, tweets_ner_path,
)
from helpers.core.errors import CourseError  # noqa: E402
from helpers.data import LABEL_NAMES, load_reviews, split_summary  # noqa: E402
from helpers.environment import setup  # noqa: E402
from helpers import (  # noqa: E402,F401  (the subpackages, and the top-level tools)
    assessment, assets, classroom, core, data, environment, plots, serving, storage, training,
)

# Short name -> the module's full name. ``helpers.assets``, ``helpers.data`` and
# ``helpers.training`` are subpackages that offer their main module's names themselves.
SHORT_NAMES = {
    "course": "helpers.core.course",
    "errors": "helpers.core.errors",
    "settings": "helpers.core.settings",
    "device": "helpers.core.device",
    "threads": "helpers.core.threads",
    "cache": "helpers.core.cache",
    "pipfetch": "helpers.assets.pipfetch",
    "embeddings": "helpers.data.embeddings",
    "batching": "helpers.data.batching",
    "baselines": "helpers.data.baselines",
    "metrics": "helpers.data.metrics",
    "evaluate_metrics": "helpers.data.evaluate_metrics",
    "uncertainty": "helpers.data.uncertainty",
    "launch": "helpers.training.launch",
    "memory": "helpers.training.memory",
    "llm": "helpers.training.llm",
    "quantization": "helpers.training.quantization",
    "modelcard": "helpers.training.modelcard",
    "serve": "helpers.serving.serve",
    "demo": "helpers.serving.demo",
    "quiz": "helpers.assessment.quiz",
    "exercises": "helpers.assessment.exercises",
    "exam": "helpers.assessment.exam",
    "scores": "helpers.assessment.scores",
    "progress": "helpers.assessment.progress",
    "handin": "helpers.classroom.handin",
    "classreport": "helpers.classroom.classreport",
    "classpage": "helpers.classroom.classpage",
    "answerkey": "helpers.classroom.answerkey",
}
for _short, _full in SHORT_NAMES.items():
    # The same module object under both names: patching or reading one is patching the other.
    sys.modules[f"{__name__}.{_short}"] = globals()[_short] = importlib.import_module(_full)

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

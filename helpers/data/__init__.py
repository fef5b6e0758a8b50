"""data: the course's data, and the measures taken on it.

- ``loading``: the review splits (and the ordinary calls behind them), labelled CSV files;
- ``embeddings``: sentence vectors from the base model;
- ``batching``: padding and the cost of a step;
- ``baselines``: quick classifiers to beat (majority, TF-IDF, zero-shot, linear probe);
- ``metrics``: metrics with ``evaluate``, offline, from ``evaluate_metrics`` (their local scripts);
- ``uncertainty``: how sure a score is (bootstrap intervals, paired tests).

May import: ``helpers.assets`` and ``helpers.core``. ``helpers.data.load_reviews()`` and the other
names below are ``loading``'s, as the lessons have always called them.
"""

from helpers.data.loading import (  # noqa: F401  (the names lessons and tests call)
    LABEL_NAMES, SEED, load_labelled_csv, load_raw_frame, load_review_frame, load_reviews,
    normalise_text, split_at_random, split_by_movie, split_summary,
)

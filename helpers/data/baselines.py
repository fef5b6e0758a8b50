"""Quick classifiers that run in seconds: the yardsticks every fine-tuned model must beat.

* ``tfidf_accuracy``: word and word-pair counts (TF-IDF) + logistic regression;
* ``linear_probe``: logistic regression on frozen sentence embeddings;
* ``zero_shot``: no training at all, each review gets the label whose description it is closest to.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from helpers.data.embeddings import cosine_matrix, embed

SEED = 0


def tfidf_classifier(texts: Sequence[str], labels: Sequence[int]):
    """A fitted scikit-learn pipeline: TF-IDF over words and word pairs, then logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                          LogisticRegression(max_iter=1000, C=4.0))
    return model.fit(list(texts), list(labels))


def tfidf_accuracy(train_texts: Sequence[str], train_labels: Sequence[int],
                   test_texts: Sequence[str], test_labels: Sequence[int]) -> float:
    """Test accuracy of ``tfidf_classifier`` trained on the training texts."""
    return float(tfidf_classifier(train_texts, train_labels).score(list(test_texts), list(test_labels)))


def linear_probe(train_vectors: np.ndarray, train_labels: Sequence[int]):
    """Logistic regression on frozen embeddings: the pretrained model's knowledge, read out linearly."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=2000, C=1.0).fit(train_vectors, list(train_labels))


def zero_shot(vectors: np.ndarray, descriptions: Sequence[str], encoder: tuple | None = None) -> np.ndarray:
    """For each embedding, the index of the closest label description (cosine similarity)."""
    label_vectors = embed(list(descriptions), progress=False, encoder=encoder)
    return cosine_matrix(vectors, label_vectors).argmax(axis=1)


def corrupt_labels(labels: Sequence[int], fraction: float, seed: int = SEED) -> np.ndarray:
    """A copy of 0/1 ``labels`` with ``fraction`` of them flipped, chosen at random (seeded)."""
    labels = np.asarray(labels).copy()
    rng = np.random.default_rng(seed)
    flip = rng.choice(len(labels), size=int(round(fraction * len(labels))), replace=False)
    labels[flip] = 1 - labels[flip]
    return labels


def majority_accuracy(train_labels: Sequence[int], test_labels: Sequence[int]) -> float:
    """Accuracy of always answering the most common training label: the floor to beat."""
    train, test = np.asarray(train_labels), np.asarray(test_labels)
    majority = int(np.bincount(train).argmax())
    return float((test == majority).mean())

"""A local metric for `evaluate.load(path)`: F1, for two classes or many.

F1 is the harmonic mean of precision and recall. With several classes, ``average`` says how the
per-class F1 scores become one number, as in the Hub's ``f1`` metric (which needs a network):
"binary" (default: the class ``pos_label`` only), "macro" (the plain mean over classes, so a
rare class counts as much as a common one), "micro" or "weighted" (by class size); ``None`` gives
the per-class scores as an array, as the Hub's metric does.
(One import per line: evaluate's dependency check misreads comma imports.)
"""

import datasets
import evaluate
import numpy
from sklearn.metrics import f1_score


class F1(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description="F1 score, binary or averaged over classes",
            citation="",
            inputs_description="predictions and references: lists of integer labels",
            features=datasets.Features(
                {"predictions": datasets.Value("int32"), "references": datasets.Value("int32")}
            ),
        )

    def _compute(self, predictions, references, average="binary", pos_label=1):
        score = f1_score(references, predictions, average=average, pos_label=pos_label,
                         zero_division=0)
        return {"f1": float(score) if numpy.ndim(score) == 0 else score}

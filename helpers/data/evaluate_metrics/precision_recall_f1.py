"""A local metric for `evaluate.load(path)`: precision, recall and F1 of a two-class classifier.

precision = of the examples predicted positive, the share that really are positive;
recall    = of the examples that really are positive, the share predicted positive;
F1        = their harmonic mean.
On the Hub these are three scripts, loaded by name (precision, recall, f1), which need a network.
(One import per line: evaluate's dependency check misreads comma imports.)
"""

import datasets
import evaluate
from sklearn.metrics import precision_recall_fscore_support


class PrecisionRecallF1(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description="precision, recall and F1 of the positive class",
            citation="",
            inputs_description="predictions and references: lists of integer labels",
            features=datasets.Features(
                {"predictions": datasets.Value("int32"), "references": datasets.Value("int32")}
            ),
        )

    def _compute(self, predictions, references, pos_label=1):
        precision, recall, f1, _ = precision_recall_fscore_support(
            references, predictions, pos_label=pos_label, average="binary", zero_division=0
        )
        return {"precision": float(precision), "recall": float(recall), "f1": float(f1)}

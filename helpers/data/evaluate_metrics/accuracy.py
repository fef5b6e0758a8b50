"""A local `accuracy` metric for `evaluate.load(path)`: the share of predictions that equal the reference label.

Loading this metric by its name fetches its script from the Hugging Face Hub, which fails offline. This file is
the same kind of module, shipped with the course: `evaluate.load(helpers.metrics.metric_path("accuracy"))`.
(One import per line: evaluate's dependency check misreads comma imports.)
"""

import datasets
import evaluate
from sklearn.metrics import accuracy_score


class Accuracy(evaluate.Metric):
    def _info(self):
        return evaluate.MetricInfo(
            description="the share of predictions that equal the reference label",
            citation="",
            inputs_description="predictions and references: lists of integer labels",
            features=datasets.Features(
                {"predictions": datasets.Value("int32"), "references": datasets.Value("int32")}
            ),
        )

    def _compute(self, predictions, references):
        return {"accuracy": float(accuracy_score(references, predictions))}

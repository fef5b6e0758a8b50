"""training: fine-tuning the course's models.

- ``recipe``: lesson 04's recipe and Trainer helpers, and the fine-tuned model later lessons reuse;
- ``launch``: training scripts started on several processes;
- ``memory``: where a training step's memory goes;
- ``llm``: lesson 11's chat model, from its pinned file to an ordinary folder;
- ``quantization``: int8 against fp32;
- ``modelcard``: a saved model's README.

May import: ``helpers.data``, ``helpers.assets`` and ``helpers.core``.
``helpers.training.accuracy_metric`` and the other names below are ``recipe``'s, as the lessons
have always called them.
"""

from helpers.core.device import detect_device, precision_flags  # noqa: F401  (lessons 04-13 call
# helpers.training.precision_flags(); the rule itself is core's)
from helpers.training.recipe import (  # noqa: F401  (the names lessons, exercises and tests call)
    EVAL_BATCH, EVAL_STEPS, ID2LABEL, LABEL2ID, RECIPE, Recipe, StopAt, accuracy_metric,
    checkpoint_trainer, device_kind, finetuned_dir, finetuned_model, freeze_lower_layers,
    freeze_word_embeddings, lesson_loop, make_trainer, new_classifier, recipe_classifier,
    run_metrics, save_finetuned, tokenize, train_recipe, training_arguments, validation_by_step,
)

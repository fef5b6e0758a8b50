"""serving: the fine-tuned model put to use.

- ``serve``: the model as an HTTP service (FastAPI and uvicorn), ``hfcourse serve``;
- ``demo``: a review box and its prediction, in the notebook.

May import: ``helpers.training``, ``helpers.data``, ``helpers.assets`` and ``helpers.core``.
"""

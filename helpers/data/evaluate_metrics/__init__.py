"""Local metric scripts for ``evaluate.load(path)`` (see helpers.metrics)."""

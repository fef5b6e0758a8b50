"""The course data: Rotten Tomatoes critic snippets as a ``datasets.DatasetDict``.

Behind it are the ordinary calls you would use on your own data: pandas to read the CSV,
``Dataset.from_pandas`` to make a Dataset, and a ``ClassLabel`` feature for the labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.assets.pinned import reviews_csv_path

if TYPE_CHECKING:  # imported inside the functions, so `import helpers` stays fast
    import pandas as pd
    from datasets import Dataset, DatasetDict

LABEL_NAMES = ["negative", "positive"]
SEED = 0


def load_raw_frame() -> "pd.DataFrame":
    """The pinned CSV exactly as published: ``category``, ``text``, ``movie_name``, ``has_plot_and_reviews``."""
    import pandas as pd

    return pd.read_csv(reviews_csv_path())


def normalise_text(text: str) -> str:
    """Lowercase, and keep only letters and digits separated by single spaces (for near duplicates)."""
    import re

    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def load_review_frame() -> "pd.DataFrame":
    """All usable reviews as a DataFrame with columns ``text``, ``label`` (0/1) and ``movie``.

    Cleaning, each step explained:

    * the raw file has 13,905 rows: 7,403 ``fresh``, 5,405 ``rotten`` and 1,097 ``plot``
      summaries. Plot summaries are not opinions, so they are dropped;
    * ``fresh`` becomes 1 (positive) and ``rotten`` becomes 0 (negative);
    * 56 texts appear twice; only the first copy is kept, so that no text can sit in both the
      training and the test split. 12,752 reviews of 507 movies remain.
    """
    import pandas as pd

    raw = load_raw_frame()
    reviews = raw[raw["category"] != "plot"]
    reviews = reviews.drop_duplicates(subset="text", keep="first")
    return pd.DataFrame(
        {
            "text": reviews["text"].astype(str).to_numpy(),
            "label": (reviews["category"] == "fresh").astype(int).to_numpy(),
            "movie": reviews["movie_name"].astype(str).to_numpy(),
        }
    )


def split_by_movie(frame: "pd.DataFrame", test_size: float,
                   seed: int = SEED) -> tuple["pd.DataFrame", "pd.DataFrame"]:
    """Split rows so that all reviews of one movie land on the same side (no leakage by movie)."""
    from sklearn.model_selection import GroupShuffleSplit

    splitter = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
    keep, held = next(splitter.split(frame, groups=frame["movie"]))
    return frame.iloc[keep].reset_index(drop=True), frame.iloc[held].reset_index(drop=True)


def split_at_random(frame: "pd.DataFrame", test_size: float,
                    seed: int = SEED) -> tuple["pd.DataFrame", "pd.DataFrame"]:
    """Split rows at random, ignoring movies: reviews of one movie can land on both sides."""
    from sklearn.model_selection import train_test_split

    keep, held = train_test_split(frame, test_size=test_size, random_state=seed)
    return keep.reset_index(drop=True), held.reset_index(drop=True)


def load_reviews() -> "DatasetDict":
    """The review data, split by movie: ``train``, ``validation`` and ``test``.

    Columns: ``text`` (one critic's snippet, 3-255 characters), ``label`` (a ClassLabel,
    ``["negative", "positive"]``) and ``movie`` (kept so that you can check for leakage).

    The split is grouped by movie, so all reviews of one movie sit in one split, and it is
    deterministic (scikit-learn's ``GroupShuffleSplit`` with seed 0): first 80/20 into
    train+validation and test, then 10% of the movies of the first part become validation.

    ========== ======== ========= ======== ==========
    split      reviews  negative  positive  positive %
    ========== ======== ========= ======== ==========
    train      9,202    3,782     5,420     58.9
    validation 994      457       537       54.0
    test       2,556    1,145     1,411     55.2
    ========== ======== ========= ======== ==========

    The 507 movies split 364 / 41 / 102. (``tests/test_data.py`` checks these numbers.)
    """
    from datasets import ClassLabel, Dataset, DatasetDict, Features, Value

    features = Features(
        {"text": Value("string"), "label": ClassLabel(names=LABEL_NAMES), "movie": Value("string")}
    )
    frame = load_review_frame()
    train_val, test = split_by_movie(frame, test_size=0.2)
    train, validation = split_by_movie(train_val, test_size=0.1)
    return DatasetDict(
        {
            name: Dataset.from_pandas(part, features=features, preserve_index=False)
            for name, part in (("train", train), ("validation", validation), ("test", test))
        }
    )


def split_summary(data: "DatasetDict") -> "pd.DataFrame":
    """A small table: reviews, negatives, positives and the positive share of each split."""
    import pandas as pd

    rows = []
    for name, split in data.items():
        labels = pd.Series(split["label"])
        rows.append(
            {
                "split": name,
                "reviews": len(split),
                "negative": int((labels == 0).sum()),
                "positive": int((labels == 1).sum()),
                "positive %": round(100 * labels.mean(), 1),
                "movies": len(set(split["movie"])),
            }
        )
    return pd.DataFrame(rows).set_index("split")


def load_labelled_csv(path: str, label_names: list[str], text_column: str = "text",
                      label_column: str = "label") -> "Dataset":
    """Load your own CSV of labelled texts with ``load_dataset("csv", ...)`` and check it.

    Labels may be written as numbers (``0`` … ``len(label_names) - 1``) or as names from
    ``label_names``. A missing column, an empty text or a label out of range raises CourseError
    naming the file, the row and the fix. Returns a Dataset with ``text`` and a ClassLabel ``label``.
    """
    from datasets import ClassLabel, load_dataset

    from helpers.core.cache import cache_folder
    from helpers.core.errors import CourseError

    data = load_dataset("csv", data_files=str(path), split="train",
                        cache_dir=str(cache_folder("datasets")))
    for column in (text_column, label_column):
        if column not in data.column_names:
            raise CourseError(
                f"{path}: no column '{column}'. The columns are {data.column_names}. Fix: rename "
                f"the header, or pass {'text' if column == text_column else 'label'}_column=...")
    names = {name: i for i, name in enumerate(label_names)}
    labels = []
    for row, (text, label) in enumerate(zip(data[text_column], data[label_column]), start=2):
        if text is None or not str(text).strip():
            raise CourseError(f"{path}, row {row}: the '{text_column}' is empty. Fix: fill it in "
                              "or delete the row.")
        written = str(label).strip()
        if written in names:
            index = names[written]
        elif written.isdigit() and int(written) < len(label_names):
            index = int(written)
        else:
            allowed = f"0-{len(label_names) - 1} or one of {label_names}"
            raise CourseError(f"{path}, row {row}: label {label!r} is out of range. Fix: use "
                              f"{allowed} in the '{label_column}' column.")
        labels.append(index)
    data = data.select_columns([text_column])
    if text_column != "text":
        data = data.rename_column(text_column, "text")
    data = data.add_column("label", labels)
    return data.cast_column("label", ClassLabel(names=label_names))

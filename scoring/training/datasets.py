"""Pure loaders for the labelled public datasets in ``../shared/datasets``.

Each loader takes the datasets folder as a parameter and returns plain Python lists, with
the official split where one exists. ``TRAIN_ALLOWED`` records which sets a shipped model
may learn from (see the datasets README): the rest are evaluation only.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

TRAIN_ALLOWED = {
    "politeness-en-wikipedia": True,
    "emotions-ru-cedr": True,
    "sentiment-ru-rusentitweet": False,
    "sentiment-en-airline": False,
    "toxicity-ru-comments": False,
    "empathy-en-epitome": False,
    "emotions-en-goemotions": True,
    "emotions-ru-goemotions-translated": True,
    "detox-ru-paradetox-train": True,
}

CEDR_LABELS = ("joy", "sadness", "surprise", "fear", "anger")
GOEMOTIONS_GROUPS = ("ambiguous", "negative", "neutral", "positive")
_INT_LIST = re.compile(r"-?\d+")


@dataclass
class LabelledTexts:
    """Texts with one label each (``labels``) or several (``label_sets``); ``contexts`` for pairs."""

    name: str
    split: str
    texts: list[str]
    labels: list = field(default_factory=list)
    label_sets: list[list[int]] = field(default_factory=list)
    label_names: tuple[str, ...] = ()
    contexts: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)


def default_datasets_dir() -> Path:
    """``QA_STUDIO_DATASETS`` if set, else ``<repo>/../shared/datasets``."""
    env = os.environ.get("QA_STUDIO_DATASETS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "datasets"


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _ints(cell: str) -> list[int]:
    return [int(x) for x in _INT_LIST.findall(cell or "")]


def load_airline(root: Path) -> LabelledTexts:
    """US airline tweets (train: no): the whole file is the evaluation set."""
    rows = _csv_rows(Path(root) / "sentiment-en-airline" / "Tweets.csv")
    return LabelledTexts(
        "sentiment-en-airline",
        "all",
        [r["text"] for r in rows],
        [r["airline_sentiment"] for r in rows],
        label_names=("negative", "neutral", "positive"),
    )


def load_rusentitweet(root: Path, split: str = "test") -> LabelledTexts:
    """RuSentiTweet (train: no): labels positive/neutral/negative/speech/skip."""
    rows = _csv_rows(Path(root) / "sentiment-ru-rusentitweet" / f"rusentitweet_{split}.csv")
    names = ("negative", "neutral", "positive", "speech", "skip")
    return LabelledTexts(
        "sentiment-ru-rusentitweet",
        split,
        [r["text"] for r in rows],
        [r["label"] for r in rows],
        label_names=names,
    )


def load_toxicity_ru(root: Path, split: str = "test") -> LabelledTexts:
    """Russian toxic comments (train: no): 1 toxic, 0 not; splits train/val/test."""
    rows = _csv_rows(Path(root) / "toxicity-ru-comments" / f"{split}.csv")
    return LabelledTexts(
        "toxicity-ru-comments",
        split,
        [r["comment"].strip() for r in rows],
        [int(float(r["labels"])) for r in rows],
        label_names=("ok", "toxic"),
    )


def load_cedr(root: Path, split: str = "train") -> LabelledTexts:
    """CEDR (train: yes): multi-label ids into ``CEDR_LABELS``; empty list = no emotion."""
    rows = _csv_rows(Path(root) / "emotions-ru-cedr" / f"cedr-main-{split}.csv")
    return LabelledTexts(
        "emotions-ru-cedr",
        split,
        [r["text"] for r in rows],
        label_sets=[_ints(r["labels"]) for r in rows],
        label_names=CEDR_LABELS,
    )


def goemotions_labels(root: Path) -> tuple[str, ...]:
    """The 27 emotions + neutral of GoEmotions, in id order."""
    path = Path(root) / "emotions-en-goemotions" / "original" / "labels.txt"
    return tuple(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line)


def load_goemotions(root: Path, split: str = "train", kind: str = "original") -> LabelledTexts:
    """GoEmotions (train: yes); ``kind`` "original" (28 labels) or "group" (4 sentiments)."""
    path = Path(root) / "emotions-en-goemotions" / kind / f"{split}.tsv"
    texts, sets = [], []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                texts.append(parts[0])
                sets.append(_ints(parts[1]))
    names = goemotions_labels(root) if kind == "original" else GOEMOTIONS_GROUPS
    return LabelledTexts(f"emotions-en-goemotions/{kind}", split, texts, [], sets, names)


def load_goemotions_ru(root: Path, split: str = "validation") -> LabelledTexts:
    """Machine-translated GoEmotions (train: yes, noisy): ``ru_text`` with label ids."""
    folder = Path(root) / "emotions-ru-goemotions-translated"
    rows = _csv_rows(folder / f"ru-go-emotions-simplified-{split}.csv")
    return LabelledTexts(
        "emotions-ru-goemotions-translated",
        split,
        [r["ru_text"] for r in rows],
        label_sets=[_ints(r["labels"]) for r in rows],
        label_names=goemotions_labels(root),
    )


def load_politeness(root: Path) -> LabelledTexts:
    """Stanford politeness, Wikipedia (train: yes): ``labels`` holds the normalised score."""
    rows = _csv_rows(Path(root) / "politeness-en-wikipedia" / "wikipedia.annotated.csv")
    return LabelledTexts(
        "politeness-en-wikipedia",
        "all",
        [r["Request"] for r in rows],
        [float(r["Normalized Score"]) for r in rows],
    )


def load_epitome(root: Path, mechanism: str = "emotional-reactions") -> LabelledTexts:
    """EPITOME (train: no): responses with their level; seeker posts in ``contexts``."""
    rows = _csv_rows(Path(root) / "empathy-en-epitome" / f"{mechanism}-reddit.csv")
    return LabelledTexts(
        f"empathy-en-epitome/{mechanism}",
        "all",
        [r["response_post"] for r in rows],
        [int(r["level"]) for r in rows],
        label_names=("none", "weak", "strong"),
        contexts=[r["seeker_post"] for r in rows],
    )

"""A digest of everything that decides a score: the scorers' code, lexicons and models.

Scorer ``version`` strings are bumped by hand and are easy to forget when only a lexicon
line or a model file changes; stored results then look current although the scorer moved.
The pipeline version includes this digest, so any such change makes ``qa-studio score``
rescore. Left out: training and evaluation code (the model files they write count) and
modules that never touch a score (rubrics, agreement statistics, dataset readers).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
SUFFIXES = frozenset({".py", ".tsv", ".json", ".txt", ".npz"})
#: Sub-packages that never decide a score (their outputs, such as model files, do count).
EXCLUDED_DIRS = frozenset({"training", "evaluation", "rubric", "stats", "__pycache__"})
EXCLUDED_FILES = frozenset({"fingerprint.py", "registry.py", "testing.py"})


def scoring_files(root: Path = PACKAGE_DIR) -> list[Path]:
    """The files under ``root`` whose bytes decide a score, in a stable order."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and path.suffix in SUFFIXES
        and path.name not in EXCLUDED_FILES
        and not EXCLUDED_DIRS.intersection(path.relative_to(root).parts[:-1])
    )


def files_digest(root: Path) -> str:
    """SHA-1 over the relative paths and contents of ``scoring_files(root)``."""
    digest = hashlib.sha1()
    for path in scoring_files(root):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def scoring_digest() -> str:
    """The digest of the installed scoring package (read once per process)."""
    return files_digest(PACKAGE_DIR)

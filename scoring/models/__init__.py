"""Shipped models: plain numpy arrays (``.npz``, loaded without pickle) plus JSON metadata.

Each model ``NAME`` is two files beside this module: ``NAME.npz`` with its arrays and
``NAME.json`` with its metadata and model card (training data, licence, metrics).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

MODELS_DIR = Path(__file__).resolve().parent


def save_model(
    name: str, arrays: dict[str, np.ndarray], meta: dict, directory: Path | None = None
) -> Path:
    """Write a model as ``NAME.npz`` (compressed arrays) and ``NAME.json`` (metadata)."""
    directory = directory or MODELS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(directory / f"{name}.npz", **arrays)
    (directory / f"{name}.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return directory / f"{name}.npz"


@lru_cache(maxsize=32)
def load_model(name: str, directory: Path | None = None) -> tuple[dict[str, np.ndarray], dict]:
    """Load a shipped model offline; arrays never go through pickle."""
    directory = directory or MODELS_DIR
    with np.load(directory / f"{name}.npz", allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    meta = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
    return arrays, meta

"""Trainers of the shipped models, by name: ``qa-studio models train`` runs them.

Each trainer is ``callable(datasets_dir: Path, out_dir: Path, seed: int) -> dict`` of
metrics measured on train:yes held-out data. Imports are deferred so that scoring a text
never pulls in training code. Registering a trainer is one line in ``TRAINERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path

Trainer = Callable[[Path, Path, int], dict]


def _deferred(module: str, function: str) -> Trainer:
    def run(datasets_dir: Path, out_dir: Path, seed: int = 13) -> dict:
        return getattr(import_module(module), function)(datasets_dir, out_dir, seed)

    run.__name__ = function
    run.__doc__ = f"Runs {module}.{function}."
    return run


TRAINERS: dict[str, Trainer] = {
    "sentiment": _deferred("scoring.training.sentiment", "train_sentiment"),
    "emotions": _deferred("scoring.training.emotions", "train_emotions"),
    "politeness": _deferred("scoring.training.politeness", "train_politeness"),
    "empathy": _deferred("scoring.training.empathy", "train_empathy"),
    "rudeness_ru": _deferred("scoring.training.rudeness_ru", "train_rudeness_ru"),
    "toxicity_ru": _deferred("scoring.training.toxicity_ru", "train_toxicity_ru"),
}

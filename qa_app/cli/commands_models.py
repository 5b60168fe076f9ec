"""``qa-studio models train``: rebuild the shipped models from the public datasets."""

from __future__ import annotations

import time
from pathlib import Path

import click

from qa_app.cli.errors import CliError


def register(group: click.Group) -> None:
    group.add_command(models)


@click.group()
def models() -> None:
    """Train and inspect the shipped scoring models."""


@models.command("train")
@click.option("--only", "only", default=None, help="Train one model family (e.g. sentiment).")
@click.option(
    "--datasets",
    "datasets",
    type=click.Path(path_type=Path),
    default=None,
    help="Datasets folder (default: $QA_STUDIO_DATASETS or ../shared/datasets).",
)
@click.option("--seed", default=13, show_default=True, help="Random seed (reproducible).")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write the models (default: the shipped scoring/models).",
)
def train(only: str | None, datasets: Path | None, seed: int, out_dir: Path | None) -> None:
    """Rebuild every model (or one with --only) with a fixed seed; prints dev metrics."""
    from scoring.models import MODELS_DIR
    from scoring.training import TRAINERS
    from scoring.training.datasets import default_datasets_dir

    datasets = datasets or default_datasets_dir()
    if not datasets.is_dir():
        raise CliError(f"datasets folder not found: {datasets}", exit_code=2)
    if only is not None and only not in TRAINERS:
        raise CliError(f"unknown model {only!r}; choose from {', '.join(sorted(TRAINERS))}")
    names = [only] if only else list(TRAINERS)
    for name in names:
        start = time.perf_counter()
        click.echo(f"training {name} ...")
        metrics = TRAINERS[name](datasets, out_dir or MODELS_DIR, seed)
        for key, value in sorted(metrics.items()):
            click.echo(f"  {key}: {value}")
        click.echo(f"  done in {time.perf_counter() - start:.0f}s")

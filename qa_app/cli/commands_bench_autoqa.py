"""``qa-studio bench autoqa-page``: the Automatic scoring page with 100,000 scored
conversations (5.3 million score rows), first load and the loads after it, beside the raw
read of the signal rows measured in the same run. ``qa-studio bench language``: what
language detection costs a process and how often it misnames text, beside the detector
telling apart all 41 languages a file may state."""

from __future__ import annotations

from pathlib import Path

import click

TARGET_AGAIN_S = 1.0  # issue 18 item 5: under 1 s after the first load


@click.command("autoqa-page")
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the SQLite file, filled once and reused by the next run.")  # fmt: skip
@click.option("--repeat", type=click.IntRange(1, 20), default=3, show_default=True,
              help="Page runs after the first.")  # fmt: skip
def bench_autoqa_page(keep: Path | None, repeat: int) -> None:
    """Time the Automatic scoring page in AppTest, signed in as a lead, on SQLite."""
    from qa_app.bench.autoqa_page import run_sqlite

    filled, f = run_sqlite(keep, repeat)
    wall, cpu = f.page_again_median(0), f.page_again_median(1)
    runs = ", ".join(f"{w:.2f}/{c:.2f}" for w, c in f.page_again_s)
    click.echo(f"SQLite: {f.conversations:,} scored conversations, {f.score_rows:,} score rows "
               f"(filled or reused in {filled:.0f} s); seconds wall / CPU")  # fmt: skip
    click.echo(f"  page first load      {_pair(f.page_first_s)}  (loads the scorers for the "
               f"pipeline version, computes every figure)")  # fmt: skip
    click.echo(f"  page again (median)  {wall:6.2f} / {cpu:.2f} s  "
               f"{'ok' if cpu < TARGET_AGAIN_S else 'SLOW'} target < {TARGET_AGAIN_S:.0f} s "
               f"(CPU; wall follows the machine's load); runs: {runs}")  # fmt: skip
    click.echo(f"  reference: raw read of the key signals' rows into pandas {_pair(f.reference_s)}")


def _pair(pair) -> str:
    return f"{pair[0]:6.2f} / {pair[1]:.2f} s"


def _wrong(counts: dict[str, int]) -> str:
    listed = ", ".join(f"{code} {n}" for code, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    return f"{sum(counts.values())}" + (f" ({listed})" if listed else "")


def _seconds(pair: list[float]) -> str:
    wall, cpu = pair
    return f"{wall:.1f} s wall / {cpu:.1f} s CPU"


@click.command("language")
def bench_language() -> None:
    """Language detection: load time, peak memory and misnamed texts, shipped vs all 41."""
    from qa_app.bench.language import measure
    from scoring.training.datasets import default_datasets_dir

    datasets = default_datasets_dir()
    for config in ("shipped", "all41"):
        f = measure(config, datasets)
        name = "shipped" if config == "shipped" else "reference: all 41 languages"
        click.echo(
            f"{name}: {f['languages']} languages told apart; first German message "
            f"{_seconds(f['first_german_s'])}, first Ukrainian {_seconds(f['first_ukrainian_s'])}; "
            f"peak memory {f['peak_mb']:,.0f} MB (before detecting: {f['import_mb']:,.0f} MB)"
        )
        click.echo(
            f"  misnamed: English {_wrong(f['english_wrong'])} of {f['english']:,}; Russian "
            f"{_wrong(f['russian_wrong'])} of {f['russian']:,}; other languages right "
            f"{f['others_right']} of {f['others']}; all texts in {f['texts_cpu_s']:.1f} s CPU"
        )


def register(group: click.Group) -> None:
    from qa_app.cli.commands_bench import bench_group
    from qa_app.cli.commands_bench import register as add_bench

    add_bench(group)
    bench_group.add_command(bench_autoqa_page)
    bench_group.add_command(bench_language)

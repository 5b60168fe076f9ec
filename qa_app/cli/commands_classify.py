"""``qa-studio classify``: score a CSV column with one automatic scorer.

Copies every input row and adds ``<task>_label`` and ``<task>_score`` (and
``<task>_evidence`` as JSON with ``--explain``). Reads UTF-8, UTF-8 with BOM and cp1251,
comma or semicolon separated (Russian Excel), in chunks so big files stream; writes with
the input's delimiter, every cell guarded against spreadsheet formula injection.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import click
import pandas as pd

from qa_app.cli.errors import CliError
from scoring.registry import get_scorer, get_scorer_names

#: Tasks ``classify`` offers: every registered scorer except the multi-label emotions.
TASKS = tuple(name for name in get_scorer_names() if name != "emotions")
CHUNK_ROWS = 5000
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """Prefix an apostrophe to cells a spreadsheet would run as a formula; numbers pass."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def sniff_encoding(path: Path, sample_bytes: int = 1 << 20) -> str:
    """``utf-8-sig`` with a BOM, ``utf-8`` when the sample decodes, else ``cp1251``."""
    with path.open("rb") as handle:
        sample = handle.read(sample_bytes)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8"


def sniff_delimiter(path: Path, encoding: str) -> str:
    """The header line's most frequent of ``;``, ``,`` and tab (comma when none)."""
    with path.open(encoding=encoding, newline="") as handle:
        header = handle.readline()
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def load_scorer(task: str, lang: str):
    """The scorer of ``task``; one clear line if it is not part of this installation."""
    return get_scorer(task, lang=lang)


def _next_chunk(reader, path: Path) -> pd.DataFrame:
    """The next chunk; a row with more fields than the header is an error, never data loss."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return next(reader)
    except pd.errors.ParserWarning:
        raise CliError(
            f"{path}: a row has more fields than the header; quote texts that contain the delimiter"
        ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise CliError(f"{path}: cannot read as CSV ({str(exc).splitlines()[0]})") from exc


def read_chunks(path: Path, text_column: str) -> tuple[Iterator[pd.DataFrame], str]:
    """Chunks of the input as strings exactly as written, and the delimiter used."""
    if not path.is_file():
        raise CliError(f"input file not found: {path}")
    encoding = sniff_encoding(path)
    delimiter = sniff_delimiter(path, encoding)
    try:
        reader = pd.read_csv(
            path,
            sep=delimiter,
            encoding=encoding,
            dtype=str,
            keep_default_na=False,
            index_col=False,
            chunksize=CHUNK_ROWS,
        )
        first = _next_chunk(reader, path)
    except StopIteration:
        raise CliError(f"{path}: the file has a header but no rows") from None
    if text_column not in first.columns:
        columns = ", ".join(map(str, first.columns))
        raise CliError(f"column '{text_column}' not found in {path.name}; columns: {columns}")

    def chunks() -> Iterator[pd.DataFrame]:
        yield first
        while True:
            try:
                yield _next_chunk(reader, path)
            except StopIteration:
                return

    return chunks(), delimiter


def classify_file(
    input_path: Path,
    output_path: Path,
    task: str,
    lang: str,
    text_column: str,
    explain: bool,
) -> int:
    """Score every row of ``input_path`` into ``output_path``; returns the row count."""
    chunks, delimiter = read_chunks(input_path, text_column)
    scorer = load_scorer(task, lang)
    rows = 0
    with output_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for index, chunk in enumerate(chunks):
            texts = chunk[text_column].tolist()
            langs = None if lang == "auto" else [lang] * len(texts)
            results = scorer.score_texts(texts, langs)
            extra = {
                f"{task}_label": [r.label for r in results],
                f"{task}_score": [f"{r.score:.4f}" for r in results],
            }
            if explain:
                extra[f"{task}_evidence"] = [
                    json.dumps([e.to_dict() for e in r.evidence], ensure_ascii=False)
                    for r in results
                ]
            out = chunk.assign(**extra)
            if index == 0:
                writer.writerow([spreadsheet_safe(c) for c in out.columns])
            writer.writerows([spreadsheet_safe(v) for v in row] for row in out.itertuples(False))
            rows += len(out)
    return rows


@click.command("classify")
@click.option("--task", type=click.Choice(sorted(TASKS)), required=True, help="Scorer to run.")
@click.option("--lang", type=click.Choice(["auto", "ru", "en"]), default="auto", show_default=True)
@click.option("--input", "input_path", type=click.Path(path_type=Path), required=True)
@click.option("--text-column", default="text", show_default=True)
@click.option("--output", "output_path", type=click.Path(path_type=Path), required=True)
@click.option("--explain", is_flag=True, help="Add <task>_evidence: spans and rules as JSON.")
def classify_command(
    task: str, lang: str, input_path: Path, text_column: str, output_path: Path, explain: bool
) -> None:
    """Add <task>_label and <task>_score columns to a CSV of texts."""
    if output_path.parent and not output_path.parent.exists():
        raise CliError(f"output folder not found: {output_path.parent}")
    existed = output_path.exists()
    try:
        rows = classify_file(input_path, output_path, task, lang, text_column, explain)
    except CliError:
        if not existed:
            output_path.unlink(missing_ok=True)  # no half-written file left behind
        raise
    click.echo(f"{rows} rows scored for {task} -> {output_path}")


def register(group: click.Group) -> None:
    group.add_command(classify_command)

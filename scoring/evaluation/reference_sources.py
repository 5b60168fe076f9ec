"""Readers for the public dialogue sets behind the hand-labelled reference replies.

The repository ships only ids and labels (``data/reference/``); the reply texts stay in their
sources. These readers turn a checkout of each source (at the commit named in
``data/reference/SOURCES.md``) back into ``(source_id, context, text)`` rows, so the texts can
be rebuilt anywhere and checked against the ``text_sha1`` recorded when the reply was labelled.
Every reader yields agent/system turns only, each with the customer turn just before it.

Command line (writes one CSV of ``id, context, text`` per language)::

    python -m scoring.evaluation.reference_sources \\
        --root abcd-sample=../abcd --root multiwoz-en=../Russian-MultiWOZ \\
        --root multiwoz-en-train=../Russian-MultiWOZ --root multiwoz-ru-mt=../Russian-MultiWOZ \\
        --root sgd=../dstc8-schema-guided-dialogue \\
        --labels data/reference/replies-en.csv --out texts-en.csv
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "SOURCES",
    "SourceReply",
    "build_texts",
    "multiwoz_dialogues",
    "read_abcd_sample",
    "read_multiwoz_txt",
    "read_sgd",
    "read_source",
    "text_sha1",
]


@dataclass(frozen=True)
class SourceReply:
    """One agent turn as its source has it."""

    source: str
    source_id: str
    context: str
    text: str


def text_sha1(text: str) -> str:
    """Short fingerprint of a reply: proves a rebuilt text is the one that was labelled."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def read_abcd_sample(root: Path, source: str = "abcd-sample") -> Iterator[SourceReply]:
    """Agent turns of ABCD's ``data/abcd_sample.json`` (turn = position in ``original``)."""
    path = Path(root) / "data" / "abcd_sample.json"
    for convo in json.loads(path.read_text(encoding="utf-8")):
        customer = ""
        for i, (speaker, utterance) in enumerate(convo["original"]):
            if speaker == "customer":
                customer = utterance.strip()
            elif speaker == "agent":
                sid = f"data/abcd_sample.json#{convo['convo_id']}.t{i}"
                yield SourceReply(source, sid, customer, utterance.strip())


_SLOT_BRACKETS = re.compile(r"[\[\]]")


def multiwoz_dialogues(
    root: Path, folder: str, pattern: str
) -> Iterator[tuple[str, int, list[str]]]:
    """``(file, dialogue number, turns)`` of the plain-text MultiWOZ exports in
    vonCount/Russian-MultiWOZ: one dialogue per blank-line-separated block, one turn per
    line, user first. The square brackets that mark slot values are dropped."""
    base = Path(root) / folder
    for path in sorted(base.glob(pattern)):
        blocks = [b for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]
        for d, block in enumerate(blocks):
            lines = [_SLOT_BRACKETS.sub("", ln).strip() for ln in block.strip().split("\n")]
            yield f"{folder}/{path.name}", d, lines


def read_multiwoz_txt(root: Path, folder: str, pattern: str, source: str) -> Iterator[SourceReply]:
    """System turns (the odd lines) of the MultiWOZ exports, each with the user turn before."""
    for rel, d, lines in multiwoz_dialogues(root, folder, pattern):
        for t in range(1, len(lines), 2):
            yield SourceReply(source, f"{rel}#d{d}.t{t}", lines[t - 1], lines[t])


def read_sgd(root: Path, split: str = "train", source: str = "sgd") -> Iterator[SourceReply]:
    """SYSTEM turns of the Schema-Guided Dialogue files present under ``root/split``."""
    for path in sorted((Path(root) / split).glob("dialogues_*.json")):
        rel = f"{split}/{path.name}"
        for dialogue in json.loads(path.read_text(encoding="utf-8")):
            user = ""
            for t, turn in enumerate(dialogue["turns"]):
                if turn["speaker"] == "USER":
                    user = turn["utterance"].strip()
                else:
                    sid = f"{rel}#{dialogue['dialogue_id']}.t{t}"
                    yield SourceReply(source, sid, user, turn["utterance"].strip())


SOURCES: dict[str, Callable[[Path], Iterable[SourceReply]]] = {
    "abcd-sample": read_abcd_sample,
    "multiwoz-en": lambda root: read_multiwoz_txt(
        root, "interim/v1/english", "[dt]e[vs]*_dialogues_*.txt", "multiwoz-en"
    ),
    "multiwoz-en-train": lambda root: read_multiwoz_txt(
        root, "interim/v1/english", "train_dialogues_00[1-8].txt", "multiwoz-en-train"
    ),
    "multiwoz-ru-mt": lambda root: read_multiwoz_txt(
        root, "interim/v1/russian", "train_*_ru.txt", "multiwoz-ru-mt"
    ),
    "sgd": read_sgd,
}


def read_source(name: str, root: Path) -> list[SourceReply]:
    """Every agent turn of one registered source, in file order."""
    if name not in SOURCES:
        raise ValueError(f"unknown source {name!r}; known: {', '.join(sorted(SOURCES))}")
    return list(SOURCES[name](Path(root)))


def build_texts(
    label_rows: Iterable[Mapping[str, str]], roots: Mapping[str, Path]
) -> list[dict[str, str]]:
    """``id, context, text`` for each labelled row, read back from the source checkouts.

    A row whose source is missing, whose id is gone or whose text no longer matches its
    ``text_sha1`` is an error: labels must never be paired with a different text.
    """
    rows = list(label_rows)
    index: dict[tuple[str, str], SourceReply] = {}
    for name in sorted({r["source"] for r in rows}):
        if name not in roots:
            raise ValueError(f"no --root given for source {name!r}")
        index.update({(name, s.source_id): s for s in read_source(name, roots[name])})
    out = []
    for row in rows:
        found = index.get((row["source"], row["source_id"]))
        if found is None:
            raise ValueError(f"{row['id']}: {row['source']} has no turn {row['source_id']}")
        if text_sha1(found.text) != row["text_sha1"]:
            raise ValueError(
                f"{row['id']}: text at {row['source_id']} differs from the labelled one"
            )
        out.append({"id": row["id"], "context": found.context, "text": found.text})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", action="append", default=[], metavar="SOURCE=DIR")
    parser.add_argument("--labels", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args(argv)
    roots = dict(item.split("=", 1) for item in args.root)
    with args.labels.open(encoding="utf-8", newline="") as fh:
        rows = build_texts(csv.DictReader(fh), {k: Path(v) for k, v in roots.items()})
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "context", "text"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} replies written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

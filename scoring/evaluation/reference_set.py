"""The hand-labelled reference replies: loading, labeller agreement, and scorer precision/recall.

The automatic scorers are tuned on the demo corpus, which they were written alongside; this
set (``data/reference/``, guidelines in ``GUIDELINES.md``) is outside text labelled by hand,
so a flag's precision and recall here say how it behaves on replies nobody wrote for it.
Texts are not in the label files (see ``SOURCES.md``); ``attach_texts`` joins a texts CSV
built by ``scoring.evaluation.reference_sources`` and refuses a text whose fingerprint
differs from the one that was labelled.

Pure: reads CSV paths it is given, imports nothing from the app.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from scoring.evaluation.reference_sources import text_sha1

__all__ = [
    "BINARY_FLAGS",
    "LABELS",
    "FlagScore",
    "LabelAgreement",
    "ReferenceReply",
    "ReferenceSetError",
    "agreement",
    "attach_texts",
    "flag_scores",
    "impolite_false_flag_rate",
    "load_labels",
    "load_reference",
]

YES_NO = ("yes", "no")
LABELS: dict[str, tuple[str, ...]] = {
    "impolite": YES_NO,
    "apology": YES_NO,
    "greeting": YES_NO,
    "empathy": ("none", "weak", "strong"),
    "clear": YES_NO,
    "resolves": YES_NO,
}
# What each label means as a yes/no flag; empathy counts when it is weak or strong.
BINARY_FLAGS: dict[str, frozenset[str]] = {
    **{name: frozenset({"yes"}) for name, values in LABELS.items() if values == YES_NO},
    "empathy": frozenset({"weak", "strong"}),
}
REQUIRED = ("id", "source", "source_id", "text_sha1")


class ReferenceSetError(ValueError):
    """A label file breaks the format: the message names the file, line, field and reason."""


@dataclass(frozen=True)
class ReferenceReply:
    """One labelled agent reply; ``text``/``context`` are empty until texts are attached."""

    id: str
    labels: Mapping[str, str]
    source: str = ""
    source_id: str = ""
    slice: str = ""
    text_sha1: str = ""
    context: str = ""
    text: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = [(reader.line_num, row) for row in reader]
            header = reader.fieldnames or []
    except OSError as exc:
        raise ReferenceSetError(f"{path}: cannot read the file ({exc.strerror})") from None
    missing = [c for c in ("id", *LABELS) if c not in header]
    if missing:
        raise ReferenceSetError(f"{path}: missing column(s) {', '.join(missing)}")
    return rows


def _checked_labels(path: Path, line: int, row: Mapping[str, str]) -> dict[str, str]:
    labels = {}
    for name, allowed in LABELS.items():
        value = (row.get(name) or "").strip().lower()
        if value not in allowed:
            raise ReferenceSetError(
                f"{path}, line {line}, {name}: {value!r} is not one of {', '.join(allowed)}"
            )
        labels[name] = value
    return labels


def load_labels(path: Path) -> dict[str, dict[str, str]]:
    """``{id: {label: value}}`` from any file with an ``id`` and the six label columns."""
    out: dict[str, dict[str, str]] = {}
    for line, row in _read_rows(path):
        rid = (row.get("id") or "").strip()
        if not rid:
            raise ReferenceSetError(f"{path}, line {line}, id: empty")
        if rid in out:
            raise ReferenceSetError(f"{path}, line {line}, id: {rid!r} appears twice")
        out[rid] = _checked_labels(path, line, row)
    return out


def load_reference(path: Path, texts: Path | None = None) -> list[ReferenceReply]:
    """The labelled replies of one language file, in file order, optionally with their texts."""
    labels = load_labels(path)
    replies = []
    for line, row in _read_rows(path):
        for name in REQUIRED:
            if not (row.get(name) or "").strip():
                raise ReferenceSetError(f"{path}, line {line}, {name}: empty")
        known = {"id", "source", "source_id", "slice", "text_sha1", "context", "text", *LABELS}
        replies.append(
            ReferenceReply(
                id=row["id"].strip(),
                labels=labels[row["id"].strip()],
                source=row["source"],
                source_id=row["source_id"],
                slice=row.get("slice", ""),
                text_sha1=row["text_sha1"],
                context=row.get("context") or "",
                text=row.get("text") or "",
                extra={k: v for k, v in row.items() if k not in known and k is not None},
            )
        )
    return attach_texts(replies, texts) if texts is not None else replies


def attach_texts(replies: Sequence[ReferenceReply], texts: Path) -> list[ReferenceReply]:
    """Fill ``context`` and ``text`` from an ``id, context, text`` CSV, checking fingerprints."""
    by_id = {}
    for line, row in _read_text_rows(Path(texts)):
        by_id[row["id"]] = (line, row)
    out = []
    for reply in replies:
        if reply.id not in by_id:
            raise ReferenceSetError(f"{texts}: no text for {reply.id}")
        line, row = by_id[reply.id]
        if text_sha1(row["text"]) != reply.text_sha1:
            raise ReferenceSetError(
                f"{texts}, line {line}, text: differs from the text labelled as {reply.id}"
            )
        out.append(replace(reply, context=row.get("context") or "", text=row["text"]))
    return out


def _read_text_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = [(reader.line_num, row) for row in reader]
            header = reader.fieldnames or []
    except OSError as exc:
        raise ReferenceSetError(f"{path}: cannot read the file ({exc.strerror})") from None
    if "id" not in header or "text" not in header:
        raise ReferenceSetError(f"{path}: a texts file needs the columns id and text")
    return rows


# --- agreement between two labelling passes ---------------------------------------------


@dataclass(frozen=True)
class LabelAgreement:
    """Cohen's kappa and raw agreement for one label over the replies both passes rated."""

    label: str
    n: int
    kappa: float
    percent: float
    first_positive: int
    second_positive: int


def agreement(
    first: Mapping[str, Mapping[str, str]], second: Mapping[str, Mapping[str, str]]
) -> dict[str, LabelAgreement]:
    """Per-label agreement of two passes (``{id: {label: value}}``) on their shared ids.

    Kappa is NaN when it is undefined (both passes used a single value throughout), so a
    label nobody ever flagged cannot pose as perfect agreement.
    """
    ids = sorted(set(first) & set(second))
    if not ids:
        raise ValueError("the two passes share no reply ids")
    out = {}
    for name, allowed in LABELS.items():
        a = [first[i][name] for i in ids]
        b = [second[i][name] for i in ids]
        kappa = float("nan") if len(set(a) | set(b)) < 2 else _kappa(a, b, allowed)
        positive = BINARY_FLAGS[name]
        out[name] = LabelAgreement(
            label=name,
            n=len(ids),
            kappa=kappa,
            percent=sum(x == y for x, y in zip(a, b, strict=True)) / len(ids),
            first_positive=sum(x in positive for x in a),
            second_positive=sum(y in positive for y in b),
        )
    return out


def _kappa(a: list[str], b: list[str], allowed: Sequence[str]) -> float:
    return float(cohen_kappa_score(a, b, labels=list(allowed)))


# --- a scorer's predictions against the gold labels --------------------------------------


@dataclass(frozen=True)
class FlagScore:
    """Precision, recall and F1 of one yes/no flag; NaN where the ratio has no denominator."""

    flag: str
    n: int
    true_positive: int
    false_positive: int
    false_negative: int
    precision: float
    recall: float
    f1: float


def ratio(num: int, den: int) -> float:
    """A share, NaN where nothing was counted (undefined, not zero)."""
    return num / den if den else float("nan")


def flag_scores(
    gold: Iterable[ReferenceReply] | Mapping[str, Mapping[str, str]],
    predictions: Mapping[str, Mapping[str, str]],
    flags: Sequence[str] | None = None,
) -> dict[str, FlagScore]:
    """Per-flag precision/recall/F1 of ``predictions`` (``{id: {label: value}}``).

    Only replies present in both are scored, and only the flags the predictions carry
    (or those named in ``flags``). Values use the label vocabulary of ``LABELS``.
    """
    gold_map = _as_label_map(gold)
    ids = sorted(set(gold_map) & set(predictions))
    if not ids:
        raise ValueError("no prediction matches a reference reply id")
    names = list(flags) if flags is not None else [
        n for n in LABELS if all(n in predictions[i] for i in ids)
    ]  # fmt: skip
    out = {}
    for name in names:
        if name not in BINARY_FLAGS:
            raise ValueError(f"unknown flag {name!r}; known: {', '.join(LABELS)}")
        pos = BINARY_FLAGS[name]
        pairs = [(gold_map[i][name] in pos, predictions[i][name] in pos) for i in ids]
        tp = sum(g and p for g, p in pairs)
        fp = sum(p and not g for g, p in pairs)
        fn = sum(g and not p for g, p in pairs)
        precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
        f1 = ratio(2 * tp, 2 * tp + fp + fn)
        out[name] = FlagScore(name, len(ids), tp, fp, fn, precision, recall, f1)
    return out


def impolite_false_flag_rate(
    gold: Iterable[ReferenceReply] | Mapping[str, Mapping[str, str]],
    predictions: Mapping[str, Mapping[str, str]],
) -> float:
    """Share of replies a person judged not impolite that the scorer still calls impolite.

    This is the error a support team feels most: a curt but correct agent marked rude.
    """
    gold_map = _as_label_map(gold)
    ids = [i for i in sorted(set(gold_map) & set(predictions)) if gold_map[i]["impolite"] == "no"]
    flagged = sum(predictions[i]["impolite"] == "yes" for i in ids)
    return ratio(flagged, len(ids))


def _as_label_map(
    gold: Iterable[ReferenceReply] | Mapping[str, Mapping[str, str]],
) -> Mapping[str, Mapping[str, str]]:
    if isinstance(gold, Mapping):
        return gold
    return {r.id: r.labels for r in gold}


#: Second labellings: the labeller's own second pass over a random 120 ids, and an
#: independent blind labelling (another annotator, who saw only the guidelines and the
#: texts) of the empathy-opportunity slice added later.
SECOND_PASSES = {"second pass": "second-pass-{lang}.csv", "blind": "blind-distress-{lang}.csv"}


def agreement_table(reference_dir: Path) -> str:
    """Markdown table of agreement per second labelling and language (what ``main`` prints)."""
    lines = ["| pass | lang | label | n | kappa | agreement | yes in pass 1 | yes in pass 2 |",
             "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for name, pattern in SECOND_PASSES.items():
        for lang in ("en", "ru"):
            first = load_labels(Path(reference_dir) / f"replies-{lang}.csv")
            path = Path(reference_dir) / pattern.format(lang=lang)
            if not path.is_file():
                continue
            for a in agreement(first, load_labels(path)).values():
                lines.append(
                    f"| {name} | {lang} | {a.label} | {a.n} | {a.kappa:.3f} | {a.percent:.3f} "
                    f"| {a.first_positive} | {a.second_positive} |"
                )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    print(agreement_table(Path(sys.argv[1] if len(sys.argv) > 1 else "data/reference")), end="")

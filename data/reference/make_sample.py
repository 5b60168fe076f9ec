"""Draw the reference replies once: a seeded random sample per source plus a hard-case slice.

Run from the project root with the source checkouts (commits in SOURCES.md)::

    .venv/bin/python data/reference/make_sample.py --root abcd-sample=DIR --root multiwoz-en=DIR \\
        --root multiwoz-ru-mt=DIR --root sgd=DIR --texts-dir OUTSIDE_THE_REPO

``--append-distress`` instead adds the empathy-opportunity slice (below) to the existing
``replies-{en,ru}.csv`` without touching their rows.

It writes ``replies-{en,ru}.csv`` here with empty label columns (the labeller fills them)
and ``texts-{en,ru}.csv`` (id, context, text) into ``--texts-dir``. Random draws skip exact
duplicate texts; the hard-case slice is drawn from turns not already sampled, a fixed number
per rule, each turn counted under the first rule it matches.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from pathlib import Path

from scoring.evaluation.reference_sources import SourceReply, read_source, text_sha1

SEED = 18  # issue #18
HERE = Path(__file__).parent
LABELS = ["impolite", "apology", "greeting", "empathy", "clear", "resolves"]
PLAN = {
    "en": {"random": {"abcd-sample": None, "multiwoz-en": 190, "sgd": 80},
           "hard_from": ["multiwoz-en", "sgd"]},
    "ru": {"random": {"multiwoz-ru-mt": 300}, "hard_from": ["multiwoz-ru-mt"]},
}  # fmt: skip
HARD_PER_RULE = 10
HARD_RULES = {
    "en": [
        ("apology", lambda t: re.search(r"\b(sorry|apologi|unfortunately)", t, re.I)),
        ("question", lambda t: t.endswith("?") and len(t.split()) <= 10),
        ("curt", lambda t: len(t.split()) <= 3),
        ("instruction", lambda t: re.search(r"\bplease\b", t, re.I) and not t.endswith("?")),
    ],
    "ru": [
        ("apology", lambda t: re.search(r"(извин|прошу прощения|к сожалению|сожале)", t, re.I)),
        ("question", lambda t: t.endswith("?") and len(t.split()) <= 10),
        ("curt", lambda t: len(t.split()) <= 3),
        ("instruction", lambda t: re.search(r"пожалуйста|вам (нужно|необходимо)", t, re.I)
         and not t.endswith("?")),
    ],
}  # fmt: skip


# Empathy-opportunity slice (added after the first labelling, which found 2 empathetic
# replies in 679): replies whose *customer* turn reports distress. Selected on the customer's
# words only, never on the reply's, so the slice holds replies with and without empathy and
# does not favour what the empathy scorer looks for. EN comes from MultiWOZ train files
# 001-008, RU from Russian MultiWOZ train files 009-017, so no reply in the slice is a
# translation of another; EN dialogues whose Russian translation is already in the Russian
# set are skipped.
DISTRESS_PER_LANG = 50
DISTRESS = {
    "en": ("multiwoz-en-train", re.compile(
        r"\b(robbed|stolen|stole|theft|injur\w*|hurt|accident|emergenc\w*|lost my|sick|"
        r"urgent\w*|crash\w*|attacked|mugged|bleeding|dying|terrible|awful|upset|stressed|"
        r"worried|afraid|scared|broke down|in pain)\b", re.I)),
    "ru": ("multiwoz-ru-mt", re.compile(
        r"(ограб|украл|украд|краж|травм|ранен|авари|срочн|потерял|заболел|болен|болит|напал|"
        r"ужасн|расстро|беспокоюсь|волнуюсь|боюсь|напуган|кровот|плохо себя|сломал)", re.I)),
}  # fmt: skip
_FILE_NO = re.compile(r"train_dialogues_(\d{3})")


def dialogue_key(source_id: str) -> str:
    """``NNN#dK``: the same key for a MultiWOZ dialogue and its Russian translation."""
    number = _FILE_NO.search(source_id)
    return f"{number.group(1) if number else source_id}#{source_id.split('#')[1].split('.')[0]}"


def distress_slice(lang: str, root: Path, taken: list[dict]) -> list[tuple[str, SourceReply]]:
    """Up to DISTRESS_PER_LANG replies to a customer in distress, seeded, distinct texts."""
    source, pattern = DISTRESS[lang]
    in_ru_set = {dialogue_key(r["source_id"]) for r in taken if r["source"] == "multiwoz-ru-mt"}
    seen: set[str] = set()

    def eligible(reply: SourceReply) -> bool:
        number = int(_FILE_NO.search(reply.source_id).group(1))
        if lang == "ru" and number < 9:
            return False
        return (
            bool(pattern.search(reply.context)) and dialogue_key(reply.source_id) not in in_ru_set
        )

    pool = [r for r in read_source(source, root) if eligible(r)]
    rng = random.Random(f"{SEED}-distress-{lang}")
    return [("hard:distress", r) for r in distinct_sample(pool, DISTRESS_PER_LANG, rng, seen)]


def append_distress(roots: dict[str, Path], texts_dir: Path) -> None:
    """Add the distress slice to both label files, keeping every existing row and id."""
    ru_rows = list(csv.DictReader((HERE / "replies-ru.csv").open(encoding="utf-8")))
    for lang in ("en", "ru"):
        path = HERE / f"replies-{lang}.csv"
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        if any(r["slice"] == "hard:distress" for r in rows):
            raise SystemExit(f"{path.name} already has the distress slice")
        added = distress_slice(lang, roots[DISTRESS[lang][0]], ru_rows)
        with path.open("a", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            for i, (slice_, r) in enumerate(added, len(rows) + 1):
                w.writerow([f"{lang}-{i:04d}", r.source, r.source_id, slice_, text_sha1(r.text),
                            "", "", *[""] * len(LABELS)])  # fmt: skip
        print(lang, len(added), "distress replies appended")


def distinct_sample(pool: list[SourceReply], n: int | None, rng: random.Random, seen: set[str]):
    order = list(pool) if n is None else rng.sample(pool, len(pool))
    picked = []
    for reply in order:
        if (n is not None and len(picked) == n) or not reply.text:
            continue
        if reply.text not in seen:
            seen.add(reply.text)
            picked.append(reply)
    return picked


def hard_slice(lang, pools, rng, seen):
    rest = [r for name in PLAN[lang]["hard_from"] for r in pools[name] if r.text not in seen]
    picked = []
    for rule, test in HARD_RULES[lang]:
        eligible = [r for r in rest if r.text not in seen and test(r.text)]
        for reply in distinct_sample(eligible, HARD_PER_RULE, rng, seen):
            picked.append((f"hard:{rule}", reply))
    return picked


def draw(lang: str, roots: dict[str, Path]) -> list[tuple[str, SourceReply]]:
    rng = random.Random(f"{SEED}-{lang}")
    pools = {name: read_source(name, roots[name]) for name in roots}
    seen: set[str] = set()
    rows = []
    for name, n in PLAN[lang]["random"].items():
        rows += [("random", r) for r in distinct_sample(pools[name], n, rng, seen)]
    return rows + hard_slice(lang, pools, rng, seen)


def write(lang: str, rows, texts_dir: Path) -> None:
    head = ["id", "source", "source_id", "slice", "text_sha1", "context", "text", *LABELS]
    with (HERE / f"replies-{lang}.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(head)
        for i, (slice_, r) in enumerate(rows, 1):
            w.writerow([f"{lang}-{i:04d}", r.source, r.source_id, slice_, text_sha1(r.text),
                        "", "", *[""] * len(LABELS)])  # fmt: skip
    with (texts_dir / f"texts-{lang}.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "context", "text"])
        for i, (_, r) in enumerate(rows, 1):
            w.writerow([f"{lang}-{i:04d}", r.context, r.text])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", action="append", default=[], metavar="SOURCE=DIR")
    parser.add_argument("--texts-dir", required=True, type=Path)
    parser.add_argument("--append-distress", action="store_true")
    args = parser.parse_args()
    roots = {k: Path(v) for k, v in (item.split("=", 1) for item in args.root)}
    if args.append_distress:
        append_distress(roots, args.texts_dir)
        return
    args.texts_dir.mkdir(parents=True, exist_ok=True)
    for lang, plan in PLAN.items():
        needed = set(plan["random"]) | set(plan["hard_from"])
        rows = draw(lang, {k: roots[k] for k in needed})
        write(lang, rows, args.texts_dir)
        print(lang, len(rows), "replies")


if __name__ == "__main__":
    main()

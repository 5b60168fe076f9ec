"""How the conversation-level resolution verdict reads whole public dialogues.

MultiWOZ dialogues are role-played requests that nearly always end with the customer served
("No, that's all I need, thank you"). Nobody labelled whether each was resolved, so this
prints the distribution of the ``resolution_confirmed`` signal over the English and Russian
dev and test dialogues, for comparing rule changes (the phrases were written from the train
dialogues, never from these). A checkout of vonCount/Russian-MultiWOZ is needed (commit in
``data/reference/SOURCES.md``)::

    python -m scoring.evaluation.dialogue_outcomes --root PATH/Russian-MultiWOZ [--limit N]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from scoring.evaluation.reference_sources import multiwoz_dialogues
from scoring.pipeline.conversation import Conversation, Message

PARTS = {"en": ("interim/v1/english", "[dt]e[vs]*_dialogues_*.txt"),
         "ru": ("interim/v1/russian", "[dt]e[vs]*_dialogues_*_ru.txt")}  # fmt: skip


def read_dialogues(root: Path, lang: str) -> list[Conversation]:
    """Whole dialogues of the plain-text export as conversations, customer first."""
    folder, pattern = PARTS[lang]
    return [
        Conversation(f"{rel}#d{d}", "chat", lang,
                     [Message("customer" if t % 2 == 0 else "agent", line)
                      for t, line in enumerate(lines)])
        for rel, d, lines in multiwoz_dialogues(root, folder, pattern)
    ]  # fmt: skip


def outcome_counts(conversations: list[Conversation]) -> Counter:
    """``resolution_confirmed`` labels of the AutoQA pipeline over the dialogues."""
    from scoring.pipeline.autoqa import AutoQAPipeline

    pipeline = AutoQAPipeline()
    return Counter(s.signals["resolution_confirmed"].label
                   for s in pipeline.score_conversations(conversations))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", required=True, type=Path, help="Russian-MultiWOZ checkout")
    parser.add_argument("--limit", type=int, default=None, help="first N dialogues per language")
    args = parser.parse_args(argv)
    for lang in PARTS:
        dialogues = read_dialogues(args.root, lang)[: args.limit]
        if not dialogues:
            print(f"no dialogues under {args.root} for {lang}", file=sys.stderr)
            return 2
        counts = outcome_counts(dialogues)
        shares = ", ".join(f"{k} {v} ({v / len(dialogues):.1%})" for k, v in counts.most_common())
        print(f"{lang}: {len(dialogues)} dialogues: {shares}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``python -m qa_app.demo.corpus OUT.jsonl [--seed N] [--conversations N] [--weeks N]``."""

from __future__ import annotations

import argparse

from qa_app.demo.corpus.generator import DEFAULT_SEED, write_jsonl


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qa_app.demo.corpus", description=__doc__)
    parser.add_argument("output", help="path of the JSONL file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--conversations", type=int, default=2400)
    parser.add_argument("--weeks", type=int, default=12)
    args = parser.parse_args(argv)
    count = write_jsonl(
        args.output, seed=args.seed, n_conversations=args.conversations, weeks=args.weeks
    )
    print(f"{count} conversations written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Example import files in ``data/examples`` (run ``python -m qa_app.demo.corpus.examples``).

They are cut from a small generated corpus so they read like the demo, and are written
byte-for-byte reproducibly; the committed files are the output of this module.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from qa_app.demo.corpus.generator import generate_corpus, to_json_line

EXAMPLES_DIR = Path(__file__).resolve().parents[3] / "data" / "examples"
EXAMPLES_SEED = 7
CSV_COLUMNS = (
    "conversation_id", "channel", "sent_at", "role", "author", "text",
    "language", "customer_id", "csat", "nps", "team", "tags",
)  # fmt: skip
# How a Russian help desk's Excel export names the channels.
EXCEL_CHANNELS = {
    "chat": ("Чат", "Чат"),
    "phone": ("Телефон", "Телефон"),
    "email": ("e-mail", "Почта"),
    "social": ("VK", "VK"),
    "messenger": ("Telegram", "WhatsApp"),
}
CP1251_SWAPS = {"₽": "руб.", "→": ">", "👍": "", "🙏": "", "😡": "", "🤬": "", "🤔": "", "😕": ""}
CP1251_SWAPS["👋"] = "Привет"
# The deliberately broken rows of broken.csv: physical line number -> what is wrong.
BROKEN_LINES = {
    4: ("conversation_id", "missing conversation_id"),
    7: ("role", "unknown role 'robot'"),
    11: ("text", "empty text"),
    15: ("csat", "csat 7 is outside 1-5"),
    18: ("sent_at", "unparsable date 'вчера вечером'"),
    21: ("channel", "unknown channel 'fax'"),
    24: ("(row)", "13 columns instead of 12"),
}


@lru_cache(maxsize=1)
def _corpus() -> tuple[dict, ...]:
    return tuple(generate_corpus(seed=EXAMPLES_SEED, n_conversations=400))


def pick_conversations(language: str | None, count: int, prefix: str, skip: int = 0) -> list[dict]:
    """``count`` conversations with all channels represented, renumbered ``prefix-001``..."""
    pool = [r for r in copy.deepcopy(_corpus()) if language in (None, r["language"])][skip:]
    channels = ("chat", "email", "phone", "messenger", "social")
    chosen: list[dict] = []
    while len(chosen) < count and pool:
        for channel in channels:
            match = next((r for r in pool if r["channel"] == channel), None)
            if match is not None and len(chosen) < count:
                chosen.append(match)
                pool.remove(match)
    for number, record in enumerate(chosen, start=1):
        record["conversation_id"] = f"{prefix}-{number:03d}"
    return chosen


def bilingual(count: int, prefix: str, skip: int) -> list[dict]:
    half = count // 2
    ru = pick_conversations("ru", half, prefix, skip)
    en = pick_conversations("en", count - half, prefix, skip)
    mixed = [r for pair in zip(ru, en, strict=True) for r in pair]
    for number, record in enumerate(mixed, start=1):
        record["conversation_id"] = f"{prefix}-{number:03d}"
    return mixed


def message_rows(record: dict) -> list[list[str]]:
    """One CSV row per message, conversation columns repeated on every row."""
    rows = []
    for m in record["messages"]:
        rows.append([
            record["conversation_id"], record["channel"], m["sent_at"], m["role"],
            m.get("author", ""), m["text"], record["language"], record["customer_id"],
            str(record.get("csat", "")), str(record.get("nps", "")), record["team"],
            "|".join(record["tags"]),
        ])  # fmt: skip
    return rows


def csv_text(
    rows: list[list[str]], delimiter: str = ",", newline: str = "\n", columns=CSV_COLUMNS
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def excel_rows(records: list[dict]) -> list[list[str]]:
    """Russian Excel style: dd.mm.yyyy hh:mm local times, channel names as people type them."""
    rows = []
    for number, record in enumerate(records):
        channel = EXCEL_CHANNELS[record["channel"]][number % 2]
        for row in message_rows(record):
            row[1] = channel
            row[2] = datetime.fromisoformat(row[2]).strftime("%d.%m.%Y %H:%M")
            for old, new in CP1251_SWAPS.items():
                row[5] = row[5].replace(old, new)
            row[5] = row[5].strip() or "Привет"
            rows.append(row)
    return rows


SURVEY_ATTRIBUTES = ("speed", "courtesy", "competence", "resolution")
SURVEY_COLUMNS = (
    *CSV_COLUMNS, *(f"survey_{a}" for a in SURVEY_ATTRIBUTES),
    *(f"survey_importance_{a}" for a in SURVEY_ATTRIBUTES),
)  # fmt: skip


def survey_rows(records: list[dict]) -> list[list[str]]:
    """``good_chats.csv``'s layout plus the survey columns, filled on each conversation's
    last row (blank on the others, as a help desk writes a survey answered at the end)."""
    rows = []
    for record in records:
        ratings = (record.get("survey") or {}).get("ratings", {})
        weights = (record.get("survey") or {}).get("importance", {})
        own = message_rows(record)
        for number, row in enumerate(own, start=1):
            last = number == len(own)
            rows.append([*row, *(str(ratings.get(a, "")) if last else "" for a in SURVEY_ATTRIBUTES),
                         *(str(weights.get(a, "")) if last else "" for a in SURVEY_ATTRIBUTES)])  # fmt: skip
    return rows


def broken_rows() -> list[list[str]]:
    """Short good conversations with the rows of ``BROKEN_LINES`` slipped in."""
    records = [
        r for r in pick_conversations(None, 40, "broken") if r["channel"] in ("chat", "social")
    ]
    for number, record in enumerate(records[:5], start=1):
        record["conversation_id"] = f"broken-{number:03d}"
    good = [row for r in records[:5] for row in message_rows(r)[:4] if "\n" not in row[5]]
    rows: list[list[str]] = []
    for line in range(2, 2 + len(good) + len(BROKEN_LINES)):
        if line in BROKEN_LINES:
            rows.append(spoil(list(good[0]), line))
        else:
            rows.append(good.pop(0))
    return rows


def spoil(row: list[str], line: int) -> list[str]:
    field = BROKEN_LINES[line][0]
    if field == "conversation_id":
        row[0] = ""
    elif field == "role":
        row[3] = "robot"
    elif field == "text":
        row[5] = ""
    elif field == "csat":
        row[8] = "7"
    elif field == "sent_at":
        row[2] = "вчера вечером"
    elif field == "channel":
        row[0], row[1] = "broken-fax-001", "fax"
    else:
        row.append("лишняя колонка")
    return row


def write_examples(directory: Path = EXAMPLES_DIR) -> list[Path]:
    """Write the five example files; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    jsonl = bilingual(20, "example-jsonl", skip=0)
    chats = bilingual(20, "example-csv", skip=40)
    excel = pick_conversations("ru", 12, "excel", skip=120)
    surveyed = [r for r in bilingual(40, "example-survey", skip=160) if "survey" in r][:8]
    for number, record in enumerate(surveyed, start=1):
        record["conversation_id"] = f"example-survey-{number:03d}"
    files = {
        "good_conversations.jsonl": "".join(to_json_line(r) + "\n" for r in jsonl).encode(),
        "good_chats.csv": csv_text([row for r in chats for row in message_rows(r)]).encode(),
        "excel_export_cp1251.csv": csv_text(excel_rows(excel), ";", "\r\n").encode("cp1251"),
        "broken.csv": csv_text(broken_rows()).encode(),
        "surveys.csv": csv_text(survey_rows(surveyed), columns=SURVEY_COLUMNS).encode(),
    }
    paths = []
    for name, payload in files.items():
        path = directory / name
        path.write_bytes(payload)
        paths.append(path)
    return paths


def main() -> None:
    for path in write_examples():
        print(path)
    print(json.dumps({line: reason for line, (_, reason) in BROKEN_LINES.items()}, indent=1))


if __name__ == "__main__":
    main()

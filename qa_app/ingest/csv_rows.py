"""Turning the rows of one CSV conversation into its fields and messages.

A bad value rejects its row; the conversation keeps its other rows. Conversation-level
columns repeated on several rows must agree (blank cells do not count, tags are merged);
if they disagree the whole conversation is rejected, naming the lines that disagree.
"""

from __future__ import annotations

from datetime import tzinfo

from qa_app.ingest.assemble import CONVERSATION_FIELDS, parse_conversation_fields, parse_message
from qa_app.ingest.records import ParsedMessage, Problem, Rejection
from qa_app.ingest.survey import csv_survey, describe_survey

Rows = list[tuple[int, list[str]]]


def _row_values(cells: list[str], columns: dict[str, int]) -> dict[str, object]:
    raw: dict[str, object] = {
        name: cells[index] for name, index in columns.items() if index < len(cells)
    }
    survey = csv_survey(raw)  # the survey_<attribute> columns, in the JSONL shape
    if survey is not None:
        raw["survey"] = survey
    return raw


def _describe(value: object) -> str:
    if isinstance(value, list):
        return "|".join(value)
    if isinstance(value, tuple):
        return describe_survey(value)
    return str(value)


def _merge(
    file: str, external_id: str, parsed_rows: list[tuple[int, dict[str, object]]]
) -> dict[str, object] | Rejection:
    merged: dict[str, object] = {}
    seen_at: dict[str, int] = {}
    problems: list[Problem] = []
    for line, fields in parsed_rows:
        for name in (*CONVERSATION_FIELDS, "survey"):
            if name not in fields:
                continue
            value = fields[name]
            if name == "tags":
                tags = merged.setdefault("tags", [])
                tags.extend(tag for tag in value if tag not in tags)
            elif name not in merged:
                merged[name], seen_at[name] = value, line
            elif merged[name] != value and not any(p.field == name for p in problems):
                params = {
                    "first": _describe(merged[name]),
                    "first_line": seen_at[name],
                    "second": _describe(value),
                    "second_line": line,
                }
                problems.append(Problem(name, "conflict", params))
    if problems:
        first_line = parsed_rows[0][0]
        return Rejection(file, first_line, external_id, problems, len(parsed_rows), whole=True)
    return merged


def assemble_rows(
    file: str, external_id: str, rows: Rows, columns: dict[str, int], default_tz: tzinfo
) -> tuple[dict[str, object] | Rejection, list[ParsedMessage], list[Rejection]]:
    """Parse every row; return the merged fields (or the conversation's rejection),
    the accepted messages and the per-row rejections."""
    rejections: list[Rejection] = []
    messages: list[ParsedMessage] = []
    parsed_rows: list[tuple[int, dict[str, object]]] = []
    for line, cells in rows:
        raw = _row_values(cells, columns)
        fields, problems = parse_conversation_fields(raw, default_tz)
        message, message_problems = parse_message(raw, default_tz, line)
        problems.extend(message_problems)
        if problems:
            rejections.append(Rejection(file, line, external_id, problems))
            continue
        messages.append(message)
        parsed_rows.append((line, fields))
    if not parsed_rows:
        return {}, [], rejections
    return _merge(file, external_id, parsed_rows), messages, rejections

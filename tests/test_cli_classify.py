"""``qa-studio classify`` on real CSV files: encodings, delimiters, safety, errors."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from qa_app.cli import cli
from qa_app.cli.commands_classify import spreadsheet_safe


def read_rows(path, delimiter=","):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def test_sentiment_on_cp1251_semicolon_file_keeps_rows_and_delimiter(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(
        "id;text;note\n"
        '1;Спасибо огромное, всё отлично!;=HYPERLINK("http://x")\n'
        "2;Это ужасно, деньги так и не вернули;-5\n"
        "3;I love how fast you fixed it;@home\n".encode("cp1251")
    )
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        cli, ["classify", "--task", "sentiment", "--input", str(source), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = read_rows(out, ";")
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert rows[0]["text"] == "Спасибо огромное, всё отлично!"
    assert [r["sentiment_label"] for r in rows] == ["positive", "negative", "positive"]
    assert float(rows[1]["sentiment_score"]) < 0 < float(rows[0]["sentiment_score"])
    assert rows[0]["note"] == '\'=HYPERLINK("http://x")'  # formula defused
    assert rows[1]["note"] == "-5"  # plain numbers stay numbers
    assert rows[2]["note"] == "'@home"


def test_explain_adds_json_evidence_and_lang_is_passed(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("message\nYou are an idiot\nThanks for the help\n", encoding="utf-8-sig")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        cli,
        ["classify", "--task", "toxicity", "--lang", "en", "--input", str(source),
         "--text-column", "message", "--output", str(out), "--explain"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = read_rows(out)
    assert list(rows[0]) == ["message", "toxicity_label", "toxicity_score", "toxicity_evidence"]
    assert [r["toxicity_label"] for r in rows] == ["toxic", "ok"]
    evidence = json.loads(rows[0]["toxicity_evidence"])
    assert any(e["text"].lower() == "idiot" for e in evidence)
    assert 0.0 <= float(rows[1]["toxicity_score"]) <= 1.0


@pytest.mark.parametrize("task", ["politeness", "empathy"])
def test_s2_tasks_follow_the_contract(tmp_path, task):
    source = tmp_path / "in.csv"
    source.write_text(
        'text\n"Мне очень жаль, что так вышло, давайте разберёмся."\nNot our problem.\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        cli, ["classify", "--task", task, "--input", str(source), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    labels = {
        "politeness": {"impolite", "neutral", "polite"},
        "empathy": {"none", "weak", "strong"},
    }
    rows = read_rows(out)
    assert {r[f"{task}_label"] for r in rows} <= labels[task]
    assert float(rows[0][f"{task}_score"]) > float(rows[1][f"{task}_score"])


def test_missing_column_and_missing_file_are_one_line_errors(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("body\nhello\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        cli, ["classify", "--task", "sentiment", "--input", str(source), "--output", str(tmp_path / "o.csv")]
    )  # fmt: skip
    assert result.exit_code == 2
    assert "column 'text' not found" in result.output and "body" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    result = runner.invoke(
        cli, ["classify", "--task", "sentiment", "--input", str(tmp_path / "nope.csv"),
              "--output", str(tmp_path / "o.csv")],
    )  # fmt: skip
    assert result.exit_code == 2 and "input file not found" in result.output


def test_unquoted_delimiter_in_text_is_an_error_not_silent_data_loss(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("text\nМне жаль, что так вышло\nok\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        cli, ["classify", "--task", "sentiment", "--input", str(source), "--output", str(out)]
    )
    assert result.exit_code == 2 and "more fields than the header" in result.output
    assert not out.exists()


def test_large_file_streams_in_chunks(tmp_path, monkeypatch):
    from qa_app.cli import commands_classify

    monkeypatch.setattr(commands_classify, "CHUNK_ROWS", 7)
    source = tmp_path / "in.csv"
    lines = [f"{i},{'Спасибо!' if i % 2 else 'Ужасно.'}" for i in range(30)]
    source.write_text("n,text\n" + "\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        cli, ["classify", "--task", "sentiment", "--input", str(source), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = read_rows(out)
    assert [int(r["n"]) for r in rows] == list(range(30))  # one header, every row once
    assert {r["sentiment_label"] for r in rows[1::2]} == {"positive"}


@pytest.mark.parametrize(
    ("cell", "safe"),
    [("=1+1", "'=1+1"), ("+7 999", "'+7 999"), ("-0.5", "-0.5"), ("@x", "'@x"),
     ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"), ("plain", "plain"), ("-", "'-"), ("+12", "+12")],
)  # fmt: skip
def test_spreadsheet_safe(cell, safe):
    assert spreadsheet_safe(cell) == safe


def test_bench_cycles_conversations_with_fresh_ids_and_texts():
    from qa_app.bench.scoring import _fallback_pool, cycle_conversations

    pool = _fallback_pool(3, seed=1)
    size = sum(len(c.messages) for c in pool)
    stream = list(cycle_conversations(pool, 2 * size + 1))
    assert sum(len(c.messages) for c in stream) == 2 * size + 1
    ids = [c.conversation_id for c in stream]
    assert len(ids) == len(set(ids))
    first, repeat = stream[0], stream[len(pool)]
    assert repeat.messages[0].text.startswith(first.messages[0].text)
    assert repeat.messages[0].text != first.messages[0].text  # no free whole-text cache hits

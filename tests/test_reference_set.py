"""The hand-labelled reference replies: file integrity, loader, agreement and flag maths."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from scoring.evaluation.reference_set import (
    LABELS,
    ReferenceSetError,
    agreement,
    agreement_table,
    attach_texts,
    flag_scores,
    impolite_false_flag_rate,
    load_labels,
    load_reference,
)
from scoring.evaluation.reference_sources import (
    build_texts,
    read_abcd_sample,
    read_multiwoz_txt,
    read_sgd,
    text_sha1,
)
from scoring.training.datasets import default_datasets_dir

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
NEUTRAL = {"impolite": "no", "apology": "no", "greeting": "no", "empathy": "none",
           "clear": "yes", "resolves": "no"}  # fmt: skip


def labels(**changes: str) -> dict[str, str]:
    return {**NEUTRAL, **changes}


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


# --- the shipped files --------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_each_language_has_at_least_300_labelled_replies_from_documented_sources(lang):
    replies = load_reference(REFERENCE / f"replies-{lang}.csv")
    assert len(replies) >= 300
    assert len({r.id for r in replies}) == len(replies)
    assert all(r.id.startswith(f"{lang}-") for r in replies)
    sources_md = (REFERENCE / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"`{r.source}`" in sources_md for r in replies)
    assert {r.slice for r in replies} <= {"random", "hard:apology", "hard:question",
                                          "hard:curt", "hard:instruction",
                                          "hard:distress"}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_label_is_in_its_allowed_set(lang):
    for path in (REFERENCE / f"replies-{lang}.csv", REFERENCE / f"second-pass-{lang}.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for name, allowed in LABELS.items():
                    assert row[name] in allowed, (path.name, row["id"], name, row[name])


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_second_pass_covers_at_least_100_replies_of_the_first(lang):
    first = load_labels(REFERENCE / f"replies-{lang}.csv")
    second = load_labels(REFERENCE / f"second-pass-{lang}.csv")
    assert len(second) >= 100
    assert set(second) <= set(first)


def test_shipped_label_files_hold_no_source_text():
    """The texts stay in their sources (SOURCES.md); only ids, fingerprints and labels ship."""
    for lang in ("en", "ru"):
        for reply in load_reference(REFERENCE / f"replies-{lang}.csv"):
            assert reply.text == "" and reply.context == ""
            assert len(reply.text_sha1) == 12


def test_agreement_table_lists_every_label_per_language_and_second_labelling():
    table = agreement_table(REFERENCE)
    for labelling in ("second pass", "blind"):
        for lang in ("en", "ru"):
            for name in LABELS:
                assert f"| {labelling} | {lang} | {name} | " in table


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_blind_labelling_covers_exactly_the_empathy_opportunity_slice(lang):
    """The independent annotator labelled every reply to a customer in distress, no other."""
    slice_ids = {r.id for r in load_reference(REFERENCE / f"replies-{lang}.csv")
                 if r.slice == "hard:distress"}  # fmt: skip
    blind = load_labels(REFERENCE / f"blind-distress-{lang}.csv")
    assert len(slice_ids) == 50
    assert set(blind) == slice_ids


# --- loader errors ------------------------------------------------------------------------


def test_a_label_outside_its_set_is_reported_with_file_line_and_field(tmp_path):
    row = {"id": "en-1", "source": "s", "source_id": "x", "text_sha1": "abc", **labels()}
    path = write_csv(tmp_path / "r.csv", [row, {**row, "id": "en-2", "empathy": "medium"}])
    with pytest.raises(ReferenceSetError, match=r"r\.csv, line 3, empathy: 'medium'"):
        load_reference(path)


def test_duplicate_ids_and_missing_columns_are_refused(tmp_path):
    row = {"id": "en-1", **labels()}
    with pytest.raises(ReferenceSetError, match="appears twice"):
        load_labels(write_csv(tmp_path / "d.csv", [row, row]))
    no_clear = {k: v for k, v in row.items() if k != "clear"}
    with pytest.raises(ReferenceSetError, match="missing column"):
        load_labels(write_csv(tmp_path / "m.csv", [no_clear]))


def test_attach_texts_joins_by_id_and_refuses_a_changed_text(tmp_path):
    row = {"id": "en-1", "source": "s", "source_id": "x", "text_sha1": text_sha1("Hi!"),
           **labels(greeting="yes")}  # fmt: skip
    ref = write_csv(tmp_path / "r.csv", [row])
    good = write_csv(tmp_path / "t.csv", [{"id": "en-1", "context": "hello?", "text": "Hi!"}])
    [reply] = load_reference(ref, texts=good)
    assert (reply.text, reply.context, reply.labels["greeting"]) == ("Hi!", "hello?", "yes")
    bad = write_csv(tmp_path / "b.csv", [{"id": "en-1", "context": "", "text": "Hi"}])
    with pytest.raises(ReferenceSetError, match="differs from the text labelled as en-1"):
        attach_texts(load_reference(ref), bad)


# --- agreement maths ----------------------------------------------------------------------


def test_kappa_on_a_hand_worked_example():
    # apology: A = y y n n, B = y n n n -> po = 3/4, pe = 1/2*1/4 + 1/2*3/4 = 1/2,
    # kappa = (0.75 - 0.5) / (1 - 0.5) = 0.5.
    # empathy: A = none weak strong none, B = none weak none none -> po = 3/4,
    # pe = (2/4)(3/4) + (1/4)(1/4) + (1/4)(0) = 7/16, kappa = (12/16 - 7/16) / (9/16) = 5/9.
    first = {"1": labels(apology="yes"), "2": labels(apology="yes", empathy="weak"),
             "3": labels(empathy="strong"), "4": labels()}  # fmt: skip
    second = {"1": labels(apology="yes"), "2": labels(empathy="weak"), "3": labels(),
              "4": labels(), "only-in-second": labels(apology="yes")}  # fmt: skip
    result = agreement(first, second)
    assert result["apology"].n == 4
    assert result["apology"].kappa == pytest.approx(0.5)
    assert result["apology"].percent == pytest.approx(0.75)
    assert (result["apology"].first_positive, result["apology"].second_positive) == (2, 1)
    assert result["empathy"].kappa == pytest.approx(5 / 9)


def test_kappa_is_undefined_when_both_passes_never_vary():
    first = {"1": labels(), "2": labels()}
    result = agreement(first, dict(first))
    assert math.isnan(result["impolite"].kappa)
    assert result["impolite"].percent == 1.0


# --- scorer predictions against gold ------------------------------------------------------


def test_flag_scores_and_impolite_false_flag_rate_on_a_hand_worked_example():
    gold = {"1": labels(impolite="yes"), "2": labels(), "3": labels(), "4": labels(),
            "5": labels(impolite="yes", empathy="weak")}  # fmt: skip
    predicted = {
        "1": {"impolite": "yes", "empathy": "none"},  # TP impolite
        "2": {"impolite": "yes", "empathy": "strong"},  # FP impolite, FP empathy
        "3": {"impolite": "no", "empathy": "none"},
        "4": {"impolite": "no", "empathy": "none"},
        "5": {"impolite": "no", "empathy": "weak"},  # FN impolite, TP empathy
    }
    scores = flag_scores(gold, predicted)
    assert set(scores) == {"impolite", "empathy"}
    imp = scores["impolite"]
    assert (imp.true_positive, imp.false_positive, imp.false_negative) == (1, 1, 1)
    assert (imp.precision, imp.recall, imp.f1) == (0.5, 0.5, 0.5)
    assert scores["empathy"].precision == 0.5 and scores["empathy"].recall == 1.0
    assert impolite_false_flag_rate(gold, predicted) == pytest.approx(1 / 3)


def test_flag_scores_report_nan_where_no_positive_exists():
    gold = {"1": labels(), "2": labels()}
    scores = flag_scores(gold, {"1": {"greeting": "no"}, "2": {"greeting": "no"}})
    assert math.isnan(scores["greeting"].precision) and math.isnan(scores["greeting"].recall)
    with pytest.raises(ValueError, match="no prediction matches"):
        flag_scores(gold, {"x": {"greeting": "no"}})


# --- rebuilding texts from the sources ----------------------------------------------------


def test_source_readers_yield_agent_turns_with_the_preceding_customer_turn(tmp_path):
    (tmp_path / "abcd" / "data").mkdir(parents=True)
    (tmp_path / "abcd" / "data" / "abcd_sample.json").write_text(json.dumps([
        {"convo_id": 7, "original": [["agent", "Hi!"], ["customer", "My order is late"],
                                     ["action", "pulled up"], ["agent", "Sorry about that."]]}
    ]), encoding="utf-8")  # fmt: skip
    woz = tmp_path / "woz" / "interim" / "v1" / "russian"
    woz.mkdir(parents=True)
    (woz / "train_dialogues_001_ru.txt").write_text(
        "Нужен [дешёвый] отель.\nВ каком районе?\nВ центре.\nЕсть Alexander B&B.\n\n\n"
        "Спасибо.\nВсего доброго!\n", encoding="utf-8")  # fmt: skip
    (tmp_path / "sgd" / "train").mkdir(parents=True)
    (tmp_path / "sgd" / "train" / "dialogues_001.json").write_text(json.dumps([
        {"dialogue_id": "1_00000", "turns": [{"speaker": "USER", "utterance": "Find a film"},
                                             {"speaker": "SYSTEM", "utterance": "Which city?"}]}
    ]), encoding="utf-8")  # fmt: skip

    abcd = list(read_abcd_sample(tmp_path / "abcd"))
    assert [(r.source_id, r.context, r.text) for r in abcd] == [
        ("data/abcd_sample.json#7.t0", "", "Hi!"),
        ("data/abcd_sample.json#7.t3", "My order is late", "Sorry about that."),
    ]
    woz_rows = list(
        read_multiwoz_txt(tmp_path / "woz", "interim/v1/russian", "train_*_ru.txt", "w")
    )
    assert [(r.source_id.split("#")[1], r.context, r.text) for r in woz_rows] == [
        ("d0.t1", "Нужен дешёвый отель.", "В каком районе?"),
        ("d0.t3", "В центре.", "Есть Alexander B&B."),
        ("d1.t1", "Спасибо.", "Всего доброго!"),
    ]
    [sgd] = read_sgd(tmp_path / "sgd")
    assert (sgd.source_id, sgd.context, sgd.text) == (
        "train/dialogues_001.json#1_00000.t1",
        "Find a film",
        "Which city?",
    )

    row = {"id": "ru-0001", "source": "multiwoz-ru-mt",
           "source_id": woz_rows[1].source_id, "text_sha1": text_sha1("Есть Alexander B&B.")}  # fmt: skip
    [built] = build_texts([row], {"multiwoz-ru-mt": tmp_path / "woz"})
    assert built == {"id": "ru-0001", "context": "В центре.", "text": "Есть Alexander B&B."}
    with pytest.raises(ValueError, match="differs from the labelled one"):
        build_texts([{**row, "text_sha1": "000000000000"}], {"multiwoz-ru-mt": tmp_path / "woz"})


@pytest.mark.datasets
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_shipped_labels_join_the_rebuilt_texts_when_they_are_present(lang):
    texts = default_datasets_dir() / "reference-replies" / f"texts-{lang}.csv"
    if not texts.exists():
        pytest.skip(f"{texts} not present (rebuild it with the recipe in SOURCES.md)")
    replies = load_reference(REFERENCE / f"replies-{lang}.csv", texts=texts)
    assert all(r.text for r in replies)


# --- customer turns labelled upset (scoring/evaluation/customer_upset.py) ----------------


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_customer_turn_labels_point_at_reference_replies_and_agree(lang):
    """Two annotators labelled the same customer turns independently; the ids are those of
    the reference replies whose context the turn is."""
    from sklearn.metrics import cohen_kappa_score

    replies = {r.id for r in load_reference(REFERENCE / f"replies-{lang}.csv")}
    first, second = (
        {row["id"]: row["upset"] for row in csv.DictReader(path.open(encoding="utf-8"))}
        for path in (REFERENCE / f"customers-{lang}.csv",
                     REFERENCE / f"customers-second-{lang}.csv")
    )  # fmt: skip
    assert len(first) >= 140 and set(first) == set(second) <= replies
    assert set(first.values()) == {"yes", "no"} and set(second.values()) <= {"yes", "no"}
    ids = sorted(first)
    assert cohen_kappa_score([first[i] for i in ids], [second[i] for i in ids]) >= 0.8

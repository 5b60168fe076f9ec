"""The learned Russian rudeness model inside the politeness/rudeness scorer: hand-written
rude, obfuscated and polite Russian replies, its evidence, the shipped files, and the
training split (held-out pairs never trained on, evaluation comments removed)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from scoring.evaluation.detox_pairs import held_out
from scoring.models import MODELS_DIR, load_model
from scoring.scorers.politeness import PolitenessScorer
from scoring.scorers.politeness_rules import LEARNED_RULE
from scoring.scorers.rudeness_ru import MODEL_NAME, RudenessModelRu, count_matrix

RUDE = [
    ("Ты вообще дебил? Читать не умеешь?", "дебил"),
    ("д0лб0ёб, иди проверь свой роутер", "д0лб0ёб"),  # digits for letters
    ("Ну ты и xyйло", "xyйло"),  # Latin look-alikes
    ("Какой же ты тупооой", "тупооой"),  # stretched letters
]
# Instructions, direct questions and "write to us privately": ordinary good support.
POLITE_OR_NEUTRAL = [
    "Здравствуйте! Пришлите, пожалуйста, номер заказа.",
    "Какая у вас модель телефона и версия Android?",
    "Перезагрузите роутер и проверьте индикатор.",
    "Напишите нам в личные сообщения, разберёмся.",
    "Уточните, пожалуйста, когда вы оформили заказ?",
    "Сожалею, что так вышло. Деньги вернутся в течение трёх дней.",
    "Нажмите «Забыли пароль» и следуйте инструкции.",
    "Вы точно ввели правильный код?",
    "Скажите, вы уже пробовали переустановить приложение?",
    "Проверьте папку «Спам», письмо могло попасть туда.",
]


@pytest.fixture(scope="module")
def scorer() -> PolitenessScorer:
    return PolitenessScorer()


@pytest.fixture(scope="module")
def model() -> RudenessModelRu:
    loaded = RudenessModelRu.load()
    assert loaded is not None, "scoring/models/rudeness_ru.npz is shipped with the package"
    return loaded


@pytest.mark.parametrize(("text", "word"), RUDE)
def test_rude_and_obfuscated_replies_are_rude_with_the_word_as_evidence(scorer, text, word):
    politeness, rudeness = scorer.score_with_rudeness([text], ["ru"])
    assert politeness[0].label == "impolite"
    assert rudeness[0].label == "rude"
    learned = [e for e in rudeness[0].evidence if e.rule.startswith(f"{LEARNED_RULE}:")]
    assert [e.text for e in learned][:1] == [word], learned
    for e in learned:  # the quoted text is the span, the weight raised the score
        assert text[e.start : e.end] == e.text and e.weight > 0
    shown = [e for e in politeness[0].evidence if e.rule == f"{LEARNED_RULE}:{word}"]
    assert shown and shown[0].weight < 0  # it lowered politeness


@pytest.mark.parametrize("text", POLITE_OR_NEUTRAL)
def test_polite_instructions_and_questions_are_not_impolite(scorer, model, text):
    politeness, rudeness = scorer.score_with_rudeness([text], ["ru"])
    assert politeness[0].label in {"polite", "neutral"}, politeness[0].evidence
    assert rudeness[0].label == "ok"
    assert model.predict_proba([text])[0] < model.threshold
    assert not any(e.rule.startswith(LEARNED_RULE) for e in rudeness[0].evidence)


def test_learned_model_lowers_politeness_of_rude_russian_only(scorer):
    rules = PolitenessScorer(use_learned=False)
    rude = ["Ты вообще дебил? Читать не умеешь?"]
    assert scorer.predict_scores(rude, ["ru"])[0] < rules.predict_scores(rude, ["ru"])[0]
    english = ["Send me the log.", "You are an idiot", "Thank you so much for waiting!"]
    assert np.allclose(scorer.predict_scores(english, "en"), rules.predict_scores(english, "en"))
    assert [r.evidence for r in scorer.score_texts(english, "en")] == [
        r.evidence for r in rules.score_texts(english, "en")
    ]


def test_rude_rewrite_pair_rewrite_is_more_polite(scorer):
    original = "Да этот мудак вообще ничего не понимает в тарифах"
    rewrite = "Да он вообще ничего не понимает в тарифах"
    polite = scorer.predict_scores([original, rewrite], ["ru", "ru"])
    assert polite[1] > polite[0]


def test_who_is_talking_does_not_move_the_model(model):
    she = "Я проверила ваш заказ, Мария. Ты вообще дебил?"
    he = "Я проверил ваш заказ, Иван. Ты вообще дебил?"
    assert model.predict_proba([she])[0] == pytest.approx(model.predict_proba([he])[0])
    assert [w for _, _, w, _ in model.top_words(she)] == ["дебил"]


def test_batch_equals_one_by_one(model):
    texts = [t for t, _ in RUDE] + POLITE_OR_NEUTRAL + ["", "🙂", "х*й"]
    batch = model.predict_proba(texts)
    alone = np.array([model.predict_proba([t])[0] for t in texts])
    assert np.allclose(batch, alone)
    assert count_matrix([]).shape[0] == 0


def test_shipped_model_loads_without_pickle_and_has_a_card():
    arrays, meta = load_model(MODEL_NAME)
    assert set(arrays) == {"coef", "intercept", "idf"}
    assert 0.5 <= meta["threshold"] < 1.0
    card = meta["model_card"]
    assert "RuParaDetox" in card["training_data"] and card["weak_spots"]
    assert card["metrics"]["dev_support_false_rate"] <= 0.01
    assert (MODELS_DIR / f"{MODEL_NAME}.npz").stat().st_size < 1_000_000


def test_scoring_russian_never_imports_training_code():
    code = (
        "import sys\n"
        "from scoring.scorers.politeness import PolitenessScorer\n"
        "PolitenessScorer().score_with_rudeness(['Ты дебил'], ['ru'])\n"
        "assert not [m for m in sys.modules if m.startswith('scoring.training')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def test_training_pairs_skip_the_held_out_fifth_and_evaluation_comments(tmp_path):
    from scoring.training.rudeness_ru import decontaminate, load_pairs, pair_part

    ids = [f"train-{i}" for i in range(40)]
    rows = [[f"токсичная фраза номер {i} дурак", f"фраза номер {i}", pid, "1"]
            for i, pid in enumerate(ids)]  # fmt: skip
    _write_csv(
        tmp_path / "detox-ru-paradetox-train" / "train.csv",
        ["toxic", "neutral", "pair_id", "ref_index"],
        rows,
    )
    kept_ids = [pid for pid in ids if not held_out(pid)]
    leaked = rows[ids.index(kept_ids[0])][0]
    _write_csv(
        tmp_path / "toxicity-ru-comments" / "test.csv",
        ["comment", "labels"],
        [[f"Вот что он написал: {leaked.upper()}!", "1"]],
    )
    _write_csv(tmp_path / "toxicity-ru-comments" / "val.csv", ["comment", "labels"], [])
    pairs = load_pairs(tmp_path)
    assert len(pairs) == len(kept_ids) and len(kept_ids) < len(ids)
    assert all(part in {"train", "dev"} for part, _, _ in pairs)
    assert all((pair_part(pid) == "held_out") == held_out(pid) for pid in ids)
    clean, dropped = decontaminate(pairs, tmp_path)
    assert dropped == 1 and leaked not in {t for _, t, _ in clean}

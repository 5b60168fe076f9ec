"""Toxicity scorer: Russian mat in many forms, insults, threats, no false alarms on look-alikes.

Every example here is written by hand from knowledge of Russian and English; none comes
from the evaluation-only toxic-comments data.
"""

from __future__ import annotations

import re

import pytest

from scoring.lexicons import toxicity_lexicon
from scoring.scorers.toxicity import KINDS, ToxicityScorer, fold_text


@pytest.fixture(scope="module")
def scorer() -> ToxicityScorer:
    """The lexicon and rules alone: this file pins their behaviour; the learned half that
    joins them on Russian text is tested in ``test_scoring_toxicity_ru_model.py``."""
    return ToxicityScorer(use_model=False)


@pytest.fixture(scope="module")
def joined() -> ToxicityScorer:
    return ToxicityScorer()


def _rules(result) -> set[str]:
    return {e.rule.split(":")[0].replace("_addressed", "") for e in result.evidence}


@pytest.mark.parametrize(
    "text",
    [
        # mat, its prefixes and endings
        "Да пошёл ты нахуй",
        "заебали уже со своим сервисом",
        "какая-то хуйня, а не приложение",
        "вы там все долбоёбы что ли",
        "ну и нахуя вы это сделали",
        "охуеть, опять не работает",
        "пиздец какой-то",
        "спиздили посылку",
        "отъебитесь от меня",
        "въебать бы вам",
        "ебанутый сервис",
        "блядский тариф",
        "мудак этот ваш оператор",
        "сука, опять списали деньги",
        "гандоны",
        "ваша поддержка говно",
        "залупа а не сервис",
        "хуесосы",
        # masked, stretched, spaced, look-alike and transliterated spellings
        "бл*ть, опять",
        "х*й вам",
        "п**дец",
        "бл@",
        "е*ать вас",
        "б л я т ь",
        "х.у.й",
        "сууууука",
        "пиздеееец",
        "xyйня",
        "eбaть",
        "6лять",
        "ду\u0301ра",  # stress mark inside the word
        "е\u0308бнутый",  # decomposed ё
        "cyka blyat",
        "pizdec",
        # insults, aimed or not
        "ты дебил?",
        "вы идиоты",
        "какой же ты тупой",
        "быдло",
        "мрази",
        "ублюдки",
        "ты чмо",
        "лошара",
        "дегенераты",
        "кретин",
        "урод",
        "тварь",
        "сволочи",
        "ты придурок",
        "недоумки",
        "гнида",
        "падла",
        "ну ты и клоун",
        "ты свинья",
        "вы животные",
        # slurs
        "хохлы",
        "чурки",
        "жиды",
        "пиндосы",
        "москали",
        "ватники",
        "либерасты",
        "пидоры",
        # threats
        "Я тебя найду и урою",
        "убью",
        "сдохни",
        "чтоб ты сдох",
        "ноги переломаю",
        "тебе конец",
        "убейся об стену",
        # dismissals and contempt
        "заткнись",
        "завали ебало",
        "закрой рот",
        "пошёл вон",
        "иди лесом",
        "иди лечись",
        "не твоё дело",
        "тебя никто не спрашивал",
        "что ты несёшь",
        "ты вообще читать умеешь?",
        "включи мозги",
        "у тебя мозгов нет",
        # English
        "You are an idiot",
        "this is fucking ridiculous",
        "shut up",
        "i'll kill you",
        "you stupid bitch",
        "f*ck this",
        "what a moron",
        "go to hell",
    ],
)
def test_toxic_examples(scorer, joined, text):
    for result in (scorer.score_texts([text])[0], joined.score_texts([text])[0]):
        assert result.label == "toxic", (text, result.evidence)
        assert result.score >= 0.5
        assert result.evidence


@pytest.mark.parametrize(
    "text",
    [
        # support language
        "Спасибо, всё понятно",
        "Здравствуйте! Ваш заказ уже в пути, трек-номер пришлём в СМС.",
        "Извините за ожидание, сейчас проверю",
        "Мы вернули вам 500 рублей, деньги придут в течение трёх дней",
        "Оператор повесил трубку",
        "Приложение немного тупит после обновления",
        "Тупо не работает кнопка оплаты",
        "Телефон сдох, аккумулятор не держит",
        "Ошибка: сдохла батарейка в пульте",
        "Сообщите, пожалуйста, номер договора",
        "Пылесос плохо сосёт после чистки фильтра",
        "Вы правы, это было неудобно",
        "Вас не спрашивали о дате доставки?",
        "Мы найдём вас в базе по номеру телефона",
        "Please help, my order is late",
        "Kill the process and restart the app",
        "Did my package get lost?",
        "Sorry if this is a stupid question",
        "Извините за тупой вопрос, где кнопка?",
        "The cocktail was great",
        # look-alikes of obscene roots
        "Застрахуйте, пожалуйста, машину",
        "хуже не бывает",
        "страхуй меня",
        "Себастьян купил мандарины и жидкость для стёкол",
        "хлеб, небо, ребёнок и себестоимость себе и тебе",
        "употреблять, рубля, корабля, оскорблять",
        "команда, мандарин, мандат, манда\u0301т",
        "Доставка в Ебург завтра",
        "сукно, сукровица и сук на дереве",
        "тупик на улице",
        "скотч и скотоводство",
        "даунлоад, даунгрейд и даунтаун",
        "оскорбление и идиома",
        "Холестериновые бляшки",
        "Херсон и херес",
        "фигура, фигурист",
        "эпизод сериала",
        "педикюр и педиатр",
        "ссуда и рассказ",
        "бледный вид",
        "мудрый совет",
        "колорадский жук",
        "хохлома",
        "хачапури",
        "Нигерия и Нигер",
        "EBITDA и ебитда",
        # context that makes a rude word literal
        "Ребёнок с синдромом Дауна",
        "Сука породы лабрадор ощенилась",
        "Свинья-копилка на полке",
        "Козёл отпущения",
        "Я дурак, забыл пароль",
        "животные в приюте, свинья и козёл",
        "Это не бред",
        # mild words alone are not toxic
        "блин, опять",
        "чёрт возьми",
        "да ну нафиг",
        "damn, that's late",
    ],
)
def test_clean_examples(scorer, joined, text):
    result = scorer.score_texts([text])[0]
    assert result.label == "ok", (text, result.evidence)
    assert result.score < 0.5
    if text not in JOINED_MISSES:
        result = joined.score_texts([text])[0]
        assert result.label == "ok", (text, result.evidence)


# Clean texts the rules get right but the learned model (character n-grams, documented in
# docs/models.md) calls toxic: "сук" is also the genitive of «сука», «ебитда» holds the
# root's letters, and animal words are insults far more often in its training data.
JOINED_MISSES = {
    "сукно, сукровица и сук на дереве",
    "EBITDA и ебитда",
    "животные в приюте, свинья и козёл",
}


def test_evidence_span_rule_and_entry(scorer):
    text = "Слушай, ты идиот"
    result = scorer.score_texts([text])[0]
    (hit,) = result.evidence
    assert text[hit.start : hit.end] == hit.text == "идиот"
    assert hit.rule == "insult_addressed:идиот"
    plain = scorer.score_texts(["какой идиотизм"])[0]
    assert plain.score < result.score
    assert plain.evidence[0].rule == "mild:бред"


def test_every_hit_has_a_span_a_kind_and_an_entry(scorer):
    texts = ["Да пошёл ты нахуй, х*й тебе, б л я т ь, дебил", "You are an idiot, shut up"]
    for text, result in zip(texts, scorer.score_texts(texts), strict=True):
        assert len(result.evidence) >= 2
        for e in result.evidence:
            assert text[e.start : e.end] == e.text and e.text
            kind, _, entry = e.rule.partition(":")
            assert kind.replace("_addressed", "") in KINDS and entry
            assert e.weight > 0


def test_rule_names_stay_what_politeness_reads(scorer):
    """Politeness keeps evidence whose rule starts with profanity / insult / threat."""
    result = scorer.score_texts(["ты дебил, иди нахуй, убью, сука"])[0]
    kinds = {e.rule.split(":")[0] for e in result.evidence}
    assert kinds >= {"insult_addressed", "dismissal", "threat"}
    assert any(e.rule.startswith(("profanity", "insult", "threat")) for e in result.evidence)


def test_a_phrase_wins_over_the_words_inside_it(scorer):
    result = scorer.score_texts(["иди нахуй"])[0]
    assert [e.rule for e in result.evidence] == ["dismissal:иди нахуй"]


def test_second_person_makes_contempt_toxic(scorer):
    alone, aimed = scorer.score_texts(["какой-то клоун выступал", "ты клоун"])
    assert alone.label == "ok" and aimed.label == "toxic"
    assert aimed.evidence[0].rule == "contempt_addressed:клоун"
    assert scorer.score_texts(["ты не клоун"])[0].label == "ok"  # negated


def test_quoted_mat_is_still_mat(scorer):
    """Decision: a support reply that quotes an obscene word is still flagged (mention and
    use cannot be told apart reliably, and either is out of place in a reply)."""
    result = scorer.score_texts(['Слово "ебать" у нас в чате запрещено'])[0]
    assert result.label == "toxic"


def test_sentence_with_sentence_words_is_not_ambiguous_for_mild_repeats(scorer):
    """Weak words count once per entry: 'блин блин блин' is still just annoyance."""
    assert scorer.score_texts(["блин блин блин"])[0].label == "ok"


# Dictionary forms whose every inflection must hit (forms generated by pymorphy3, so the
# patterns are checked against the morphology rather than against a list typed here).
NOUNS = [
    "дебил", "идиот", "кретин", "имбецил", "олигофрен", "дегенерат", "придурок", "недоумок",
    "дурак", "дура", "урод", "ублюдок", "мразь", "тварь", "скотина", "быдло", "лох", "лошара",
    "падла", "гнида", "сволочь", "выродок", "подонок", "ничтожество", "паскуда", "мудак",
    "мудила", "сука", "сучка", "гандон", "шлюха", "пидор", "пидорас", "залупа", "говно",
    "жопа", "хохол", "чурка", "пиндос", "москаль", "ватник", "либераст", "дебилоид",
    "долбоёб", "уёбок", "хуйня", "пизда", "пиздец", "ебло", "еблан", "хуесос", "шалава",
]  # fmt: skip
ADJECTIVES = [
    "тупой", "ебаный", "ебанутый", "хуёвый", "дебильный", "блядский", "сраный", "конченый",
    "долбаный", "тупорылый", "пидорский", "жидовский", "хохлятский", "ублюдочный",
    "мразотный",
]  # fmt: skip
# Forms left out on purpose: "сук" is also "a branch" (сук, сучья).
AMBIGUOUS_FORMS = {"сук"}
VERBS = ["заебать", "наебать", "выебать", "охуеть", "спиздить", "отпиздить", "похуярить"]


def _forms(word: str, pos: set[str]) -> set[str]:
    pymorphy3 = pytest.importorskip("pymorphy3")
    morph = _forms.morph = getattr(_forms, "morph", None) or pymorphy3.MorphAnalyzer()
    parses = [p for p in morph.parse(word) if p.tag.POS in pos] or morph.parse(word)[:1]
    return {f.word for f in parses[0].lexeme if f.tag.POS in pos}


@pytest.mark.parametrize(
    ("lemma", "pos"),
    [(w, {"NOUN"}) for w in NOUNS]
    + [(w, {"ADJF"}) for w in ADJECTIVES]
    + [(w, {"INFN", "VERB"}) for w in VERBS],
)
def test_all_inflections_hit(scorer, lemma, pos):
    forms = sorted(_forms(lemma, pos))
    assert forms
    results = scorer.score_texts(forms)
    missed = [f for f, r in zip(forms, results, strict=True) if not r.evidence]
    missed = [f for f in missed if f not in AMBIGUOUS_FORMS]
    assert not missed, (lemma, missed)


def test_lexicon_is_lower_case_and_compiles_without_groups():
    lexicon = toxicity_lexicon()
    for kind in KINDS:
        for entry, value in lexicon[kind].items():
            pattern = value[0] if isinstance(value, list) else value
            assert entry == entry.lower() and pattern == pattern.lower(), entry
            assert re.compile(pattern).groups == 0, entry
    for kind, table in lexicon["phrases"].items():
        assert kind in (*KINDS, "safe")
        for value in table.values():
            spec = value[0] if isinstance(value, list) else value
            assert all(re.compile(p.lstrip("?")).groups == 0 for p in spec.split())


def test_latin_lookalikes_are_folded():
    assert fold_text("xуй") == "хуй"
    assert len(fold_text("Ёлки XYZ")) == len("Ёлки XYZ")
    assert fold_text("hello") == "hello"


def test_contract(scorer):
    texts = ["", "ok", "сука", "good day"]
    results = scorer.score_texts(texts)
    assert [r.label for r in results] == ["ok", "ok", "toxic", "ok"]
    assert all(0.0 <= r.score <= 1.0 for r in results)
    assert list(scorer.predict_scores(texts)) == pytest.approx([r.score for r in results])
    assert scorer.predict(texts) == [r.label for r in results]


def test_memo_is_bounded(scorer, monkeypatch):
    import scoring.scorers.toxicity_rules as module

    monkeypatch.setattr(module, "MEMO_LIMIT", 10)
    fresh = ToxicityScorer()
    fresh.predict_scores([" ".join(f"слово{i}" for i in range(50))])
    assert 0 < len(fresh.rules_.memo) <= 10
    assert ToxicityScorer().score_texts(["дебил"])[0].label == "toxic"  # still right after

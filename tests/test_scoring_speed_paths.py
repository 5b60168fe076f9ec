"""Fast paths of the scorers give the same answers as the plain ones."""

from __future__ import annotations

from scoring.lexicons import toxicity_lexicon
from scoring.toxicity import KINDS, ToxicityScorer
from scoring.training.linear import HashedTfidf, normalise_text

WORDS = ["Спасибо", "refund", "don't", "Ёлка", "пожалуйста", "great", "ok-ok", "x"]


def _uncached_column(features: HashedTfidf, word: str) -> int:
    row = features._vectorisers()[0].transform([normalise_text(word)])
    return int(row.indices[0]) if row.nnz else -1


def test_cached_word_features_equal_uncached_ones():
    features = HashedTfidf(18, 18)
    expected = [_uncached_column(features, w) for w in WORDS]
    assert features.word_features(WORDS) == expected
    assert features.word_features(WORDS[::-1]) == expected[::-1]  # served from the cache
    assert [features.word_feature(w) for w in WORDS] == expected
    assert all(col >= 0 for col in expected)


def test_toxicity_patterns_are_lower_case_like_the_folded_text_they_scan():
    """The patterns are compiled without IGNORECASE because ``fold_text`` lower-cases."""
    lexicon = toxicity_lexicon()
    patterns = [p for kind in KINDS for p in lexicon[kind]]
    assert patterns and all(p == p.lower() for p in patterns)
    scorer = ToxicityScorer()
    shouted = scorer.score_texts(["YOU ARE AN IDIOT", "ТЫ ИДИОТ"])
    quiet = scorer.score_texts(["you are an idiot", "ты идиот"])
    assert [r.score for r in shouted] == [r.score for r in quiet]
    assert all(r.label == "toxic" for r in shouted)


def test_results_pickle_compactly_and_round_trip():
    """Worker results cross to the main process as ``(class, field values)`` tuples."""
    import gc
    import pickle

    from scoring.base import Evidence, ScoreResult
    from scoring.conversation import Conversation, Message
    from scoring.pipeline import AutoQAPipeline
    from scoring.pipeline_workers import load_results

    conversation = Conversation(
        "c1", "chat", None,
        [Message("customer", "Деньги списали дважды, верните!"),
         Message("agent", "Здравствуйте! Извините, пожалуйста. Вернём в течение 3 дней."),
         Message("customer", "Thanks, it works now.")],
    )  # fmt: skip
    results = AutoQAPipeline().score_conversations([conversation])
    blob = pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
    assert gc.isenabled()
    back = load_results(blob)
    assert gc.isenabled()  # paused only while unpickling
    assert back[0] == results[0]
    assert back[0].signals["resolution_confirmed"].evidence == (
        results[0].signals["resolution_confirmed"].evidence
    )
    evidence = Evidence(3, 9, "clarity.typo", -0.1, "превет")
    result = ScoreResult("ok", 0.61, "ru", (evidence,))
    assert pickle.loads(pickle.dumps(result)) == result
    assert b"__setstate__" not in pickle.dumps(result) and len(pickle.dumps(result)) < 140

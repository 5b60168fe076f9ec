"""Fast paths of the scorers give the same answers as the plain ones."""

from __future__ import annotations

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

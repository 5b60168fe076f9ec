"""The learned half of Russian toxicity: a linear model that reads what the lexicon misses.

The lexicon (``toxicity_rules.py``) explains itself and never fires on look-alikes, but it only
knows the words someone wrote down. This model (``toxicity_ru``, trained by
``scoring/training/toxicity_ru.py`` on RuParaDetox toxic sentences vs their neutral
rewrites, plus ordinary Russian text as not toxic) shares the ``rudeness_ru`` features, so
«д0лб0ёб» or an insult nobody listed still moves it. It joins the rules by a noisy-OR:
P(toxic) = 1 - (1 - P_rules) * (1 - sigmoid(logit - offset)), where ``offset`` was chosen
on held-out RuParaDetox pairs, so either side alone can make a message toxic and two weak
signals together can too. Runtime needs no training code.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # imported lazily: rudeness_ru itself reads the toxicity scorer's folding
    from scoring.scorers.rudeness_ru import RudenessModelRu

MODEL_NAME = "toxicity_ru"
MIN_WORD_SHARE = 0.1  # logit a word must add to be shown as the model's reason


class ToxicityModelRu:
    """P(toxic) of Russian messages from the learned model, already shifted by its offset."""

    def __init__(self, model: RudenessModelRu, offset: float) -> None:
        self.model = model
        self.offset = float(offset)

    def probability(self, texts: Sequence[str]) -> np.ndarray:
        """sigmoid(logit - offset): 0.5 exactly where the model alone would call it toxic."""
        z = self.model.decision_function(list(texts)) - self.offset
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))

    def words(self, text: str) -> list[tuple[int, int, str, float]]:
        """(start, end, word, contribution) of the words that raised the logit most."""
        return self.model.top_words(text, minimum=MIN_WORD_SHARE)


@lru_cache(maxsize=1)
def load_toxicity_model() -> ToxicityModelRu | None:
    """The shipped model, or None when its files are absent (the rules still work)."""
    from scoring.models import load_model
    from scoring.scorers.rudeness_ru import RudenessModelRu

    model = RudenessModelRu.load(MODEL_NAME)
    if model is None:
        return None
    return ToxicityModelRu(model, float(load_model(MODEL_NAME)[1]["offset"]))

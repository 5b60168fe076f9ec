"""The hand-set side of the politeness scorer: strategy priors, the rude strategies'
noisy-OR weights, which strategies may make a reply impolite, the curt-reply rule and how
toxicity findings count as rudeness. Written rules, documented in the model card
(docs/models.md, "Support etiquette"); ``politeness.py`` joins them with the learned model.
"""

from __future__ import annotations

import numpy as np

from scoring.base import ScoreResult

# Logit weights used where training data is silent (and by the rules-only fallback).
PRIOR_WEIGHTS: dict[str, float] = {
    "gratitude": 1.0, "deference": 1.0, "greeting": 0.6, "apologizing": 0.6,
    "please": 0.5, "please_start": -0.3, "indirect_btw": 0.3, "direct_question": -0.6,
    "direct_start": -0.4, "counterfactual_modal": 0.8, "indicative_modal": 0.2,
    "first_person_start": 0.2, "first_person_plural": 0.3, "first_person": 0.1,
    "second_person": 0.0, "second_person_start": -0.4, "hedges": 0.4, "factuality": -0.5,
    "positive_lexicon": 0.5, "negative_lexicon": -0.5, "thanks_for_contacting": 1.2,
    "apology_inconvenience": 1.0, "thanks_for_waiting": 1.2, "glad_to_help": 1.0,
    "customer_name": 0.5, "formal_address": 0.3, "informal_address": -1.0, "command": -0.8,
    "blame": -1.8, "repetition": -1.5, "dismissive": -1.8, "sarcasm": -1.5,
    "shouting": -1.5, "exclamation": -0.5,
}  # fmt: skip
# Chance that one occurrence alone makes a reply rude (noisy-OR), hand-set for support QA.
RUDENESS_WEIGHTS: dict[str, float] = {
    "blame": 0.6, "dismissive": 0.6, "sarcasm": 0.5, "repetition": 0.5, "shouting": 0.5,
    "command": 0.25, "informal_address": 0.5, "exclamation": 0.15,
}  # fmt: skip
TOXICITY_LOGIT = 3.0
# Russian learned rudeness (``scoring.scorers.rudeness_ru``): P(rude) times this is taken
# off the politeness logit; at or above the model's own threshold (chosen on train:yes dev
# data so that polite support text is rarely reached) it also joins the rude noisy-OR and
# may make a reply impolite. Below ``LEARNED_EVIDENCE_MIN`` its words are not shown.
LEARNED_LOGIT = 2.0
LEARNED_RULE = "learned"
LEARNED_EVIDENCE_MIN = 0.3
SEVERE_RUDENESS = frozenset({"blame", "dismissive", "sarcasm", "repetition", "shouting"})
# Pronoun, position and sentiment-word features alone are not politeness markers. The model
# learned from Wikipedia *requests*; a support message with no marker at all ("Your order
# has shipped") is pulled halfway to neutral and never labelled impolite on those alone.
NON_MARKERS = frozenset(
    {"first_person", "first_person_start", "first_person_plural", "second_person"}
    | {"second_person_start", "positive_lexicon", "negative_lexicon", "formal_address"}
)
UNMARKED_SHRINK = 0.5
# Support etiquette (issue 18): asking a direct question, giving an instruction or asking the
# customer to DM is ordinary good support, though Wikipedia requests taught the model that
# it is impolite. Only these strategies (and insults, and a curt reply to an upset customer)
# may make a reply impolite; without one, a negative logit is shrunk this much, so such a
# reply comes out neutral, and its label never rests on the learned words alone.
IMPOLITE_MARKERS = frozenset(
    {"informal_address", "blame", "repetition", "dismissive", "sarcasm", "shouting"}
)
UNFLAGGED_SHRINK = 0.3
# A reply of at most this many words, with no courtesy in it, to a customer who is upset.
CURT_WORDS = 2
CURT_RULE = "curt_reply"
CURT_WEIGHT = 0.5
COURTESY = frozenset(
    {"gratitude", "deference", "greeting", "apologizing", "please", "thanks_for_contacting"}
    | {"apology_inconvenience", "thanks_for_waiting", "glad_to_help", "customer_name"}
)
WORD_EVIDENCE_MIN = 0.15  # calibrated logit a word or word pair must move to be shown
TOXIC_RULES = ("profanity", "insult", "threat")
# Toxicity kinds too weak to show as rudeness on their own ("блин", contempt not aimed at
# the customer; the toxicity model's "learned" words, since rudeness_ru speaks here);
# toxicity rules read "kind:entry" or "kind_addressed:entry".
WEAK_TOXIC = frozenset({"mild", "contempt", LEARNED_RULE})


def toxic_kind(rule: str) -> str:
    return rule.split(":", 1)[0]


def lexicon_hit(result: ScoreResult) -> bool:
    return any(toxic_kind(e.rule) != LEARNED_RULE for e in result.evidence)


def strong_toxic(result: ScoreResult | None) -> bool:
    """Profanity, insults or threats (not "блин", not contempt aimed elsewhere)."""
    return result is not None and any(toxic_kind(e.rule) not in WEAK_TOXIC for e in result.evidence)


def curt_replies(texts: list[str], kinds: list[set[str]], upset) -> list[bool]:
    """A reply of ``CURT_WORDS`` words or fewer, without courtesy, to an upset customer
    ("Нет.", "No.", "Wait"): the customer needed more than that."""
    if upset is None:
        return [False] * len(texts)
    return [
        bool(was_upset) and 0 < len(text.split()) <= CURT_WORDS and not k & COURTESY
        for text, k, was_upset in zip(texts, kinds, upset, strict=True)
    ]


def rude_noisy_or(found: list[set[str]], floor: np.ndarray) -> np.ndarray:
    """1 - (1 - floor) * prod(1 - weight) over each message's rude strategies."""
    keep = 1.0 - floor
    for i, strategies in enumerate(found):
        for strategy in strategies:
            keep[i] *= 1.0 - RUDENESS_WEIGHTS[strategy]
    return 1.0 - keep

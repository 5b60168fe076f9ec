"""A customer's "no" / «нет» that answers the agent's question.

Sentiment rules and models read "no" as negative (VADER weighs it −1.2; a model trained on
Reddit learns it from arguments). In a support conversation, a customer answering "Do you
have Fios?" with "No, I don't" or "Is it still broken?" with "no, it's fine now" is giving
information, not voicing a complaint. The pipeline blanks such a leading particle before
the customer-side scorers read an answer, keeping every other character where it was so
evidence spans still point into the original message.
"""

from __future__ import annotations

import re

#: Answer particles, both languages: what they answer is in the agent's question.
ANSWER_PARTICLES = frozenset({"no", "nope", "nah", "yes", "yeah", "yep", "нет", "неа", "да", "ага"})
# After any @handles, a particle standing alone: followed by punctuation or the end, or by
# a space and a word that starts the answer's own clause ("no I didn't", «нет не
# перезагружал»). "No one answers", "no signal", «нет интернета» are complaints, not answers.
_LEADING = re.compile(
    r"^(?:\s*@\w+)*\s*(?P<particle>(?i:"
    + "|".join(sorted(ANSWER_PARTICLES, key=len, reverse=True))
    + "))"
    r"(?=[,.!…]|\s*$|\s+(?i:i|i'm|i've|i'd|it|it's|we|they|that|that's|this|not|thanks|thank"
    r"|не|я|мы|это|спасибо|всё|все|он|она|оно|они|пока|ещё|еще)\b)"
)


def mask_answer_particle(text: str) -> str:
    """``text`` with a leading answer particle replaced by spaces (same length)."""
    match = _LEADING.match(text)
    if match is None:
        return text
    start, end = match.span("particle")
    return text[:start] + " " * (end - start) + text[end:]

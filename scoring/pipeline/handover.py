"""The hand-over from a bot to a human agent, and whether the customer had to repeat themselves.

Help desks let a chatbot or AI agent take the first replies and pass the conversation to a
person when it cannot help. Two things decide whether that went well for the customer:
how long the bot kept them before a person answered (first bot message -> first human
agent message after it) and whether the person started from scratch, so that the customer
had to tell the story again.

Repetition is measured as the cosine similarity of character trigram counts between a
customer message written after the hand-over and one written before it. Trigrams of the
words (lower case, ``ё`` read as ``е``, punctuation dropped, each word padded with a space)
survive the things a person changes when saying the same thing twice: word order, Russian
case endings («картой» / «карта»), typos and fillers. Only messages with at least
``MIN_WORDS`` words take part: "ok" and «да» after the hand-over are answers, not a story
told again, and two short messages share trigrams by accident.

``REPEAT_THRESHOLD`` = 0.5 comes from the labelled pairs in ``tests/test_handover.py``
(Russian and English): restatements of the same problem in other words score 0.53-0.96,
different messages on the same topic (an order number after a complaint about the order,
a follow-up question) score 0.00-0.41. The threshold sits in the gap, closer to the
restatements, because calling a customer's follow-up a repetition would blame the agent for
something that did not happen. Only the first ``AFTER_MESSAGES`` customer messages after
the hand-over are compared: a repetition happens when the person takes over, not ten
messages later when the topic has naturally come back.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from scoring.pipeline.conversation import AGENT, BOT, CUSTOMER, Message, normalise_role
from scoring.pipeline.timing import to_epoch

REPEAT_THRESHOLD = 0.5
MIN_WORDS = 3
AFTER_MESSAGES = 3
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Handover:
    """What happened between the bot and the human agent in one conversation.

    ``human_index`` is None when no person ever answered (the bot handled it alone);
    ``seconds`` is None then, or when either message has no time. ``similarity`` is the
    highest similarity of an after-hand-over customer message to a before one (None when
    there was nothing to compare) and ``repeated_index``/``original_index`` name that pair
    when it reaches the threshold.
    """

    bot_index: int
    human_index: int | None
    seconds: float | None
    similarity: float | None
    repeated_index: int | None = None
    original_index: int | None = None

    @property
    def handed_over(self) -> bool:
        return self.human_index is not None

    @property
    def repeated(self) -> bool | None:
        """True/False once there was something to compare, else None (unknown)."""
        if self.similarity is None:
            return None
        return self.repeated_index is not None


def words(text: str) -> list[str]:
    """Lower-case words of a text, ``ё`` read as ``е``, punctuation and symbols dropped."""
    return _WORD.findall((text or "").lower().replace("ё", "е"))


def trigram_counts(text: str) -> Counter[str]:
    """Character trigrams of each word padded with one space on both sides."""
    counts: Counter[str] = Counter()
    for word in words(text):
        padded = f" {word} "
        counts.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return counts


def text_similarity(first: str, second: str) -> float:
    """Cosine similarity (0..1) of the two texts' character trigram counts; 0 when either
    has no words. Symmetric, and 1.0 for texts with the same words in any order."""
    a, b = trigram_counts(first), trigram_counts(second)
    if not a or not b:
        return 0.0
    dot = sum(count * b[gram] for gram, count in a.items() if gram in b)
    norm = math.sqrt(sum(c * c for c in a.values())) * math.sqrt(sum(c * c for c in b.values()))
    return dot / norm


def _seconds(first: Message, second: Message) -> float | None:
    start, end = to_epoch(first.sent_at), to_epoch(second.sent_at)
    if start is None or end is None or end < start:
        return None
    return end - start


def _substantial(indexed: list[tuple[int, Message]]) -> list[tuple[int, Message]]:
    return [(i, m) for i, m in indexed if len(words(m.text)) >= MIN_WORDS]


def find_handover(
    messages: Sequence[Message], threshold: float = REPEAT_THRESHOLD
) -> Handover | None:
    """The hand-over of a conversation, or None when no bot took part.

    The hand-over is the first human agent message after the bot's first message; the
    customer's messages before it are compared with their first ``AFTER_MESSAGES``
    messages after it (see the module docstring for the measure and the threshold).
    """
    roles = [normalise_role(m.role) for m in messages]
    bot = next((i for i, r in enumerate(roles) if r == BOT), None)
    if bot is None:
        return None
    human = next((i for i in range(bot + 1, len(roles)) if roles[i] == AGENT), None)
    if human is None:
        return Handover(bot, None, None, None)
    customer = [(i, messages[i]) for i, r in enumerate(roles) if r == CUSTOMER]
    before = _substantial([(i, m) for i, m in customer if i < human])
    after = _substantial([(i, m) for i, m in customer if i > human][:AFTER_MESSAGES])
    best: tuple[float, int, int] | None = None
    for j, later in after:
        for i, earlier in before:
            score = text_similarity(earlier.text, later.text)
            if best is None or score > best[0]:
                best = (score, j, i)
    seconds = _seconds(messages[bot], messages[human])
    if best is None:
        return Handover(bot, human, seconds, None)
    similarity, j, i = round(best[0], 4), best[1], best[2]
    if similarity >= threshold:
        return Handover(bot, human, seconds, similarity, j, i)
    return Handover(bot, human, seconds, similarity)

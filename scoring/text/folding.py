"""Words as an abusive writer disguises them, folded back to how a lexicon spells them.

Shared by the toxicity rules and the learned Russian rudeness features, so both read
"ИДИОООТ", "идиoт" (a Latin "o") and "иди́от" (a stress mark) as the same word.
"""

from __future__ import annotations

import re

# Latin letters and digits that look like Cyrillic ones; swapped only inside Cyrillic words.
LOOKALIKES = str.maketrans("aeopcxykmtbhunr0346", "аеорсхукмтвнипгозчб")
LATIN_LOOKALIKE = frozenset("aeopcxykmtbhunr")
_FOLDABLE = re.compile(r"[a-z0346]")
CYRILLIC = re.compile(r"[а-яё]")
_CYRILLIC_WORD = re.compile(r"\w*[а-яё]\w*", re.IGNORECASE)
MASK = frozenset("*@#$%")
# Words with masks and combining marks (stress accents, a decomposed "ё").
WORD = re.compile(r"[\w*@#$%\u0300\u0301\u0308]+")
_MARKS = str.maketrans("", "", "\u0300\u0301\u0308")
RUN3 = re.compile(r"(\w)\1{2,}")
RUN2 = re.compile(r"(\w)\1+")


def fold_text(text: str) -> str:
    """Lower-case, ё -> е, Latin look-alikes -> Cyrillic in Cyrillic words; same length."""
    low = text.lower().replace("ё", "е")
    return _CYRILLIC_WORD.sub(lambda m: m.group().translate(LOOKALIKES), low)


def fold_word(word: str) -> str:
    """One word as the lexicon spells it: lower case, ё -> е, look-alikes -> Cyrillic."""
    low = word.lower().translate(_MARKS).replace("ё", "е")
    if _FOLDABLE.search(low) and CYRILLIC.search(low):
        return low.translate(LOOKALIKES)
    return low


def squeeze(folded: str) -> str:
    """Stretched letters cut to one ("дураааак" -> "дурак"); doubles are kept."""
    return RUN3.sub(r"\1", folded)

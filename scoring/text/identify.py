"""Which language a message or a conversation is in, for any language, with lingua.

The scorers only understand Russian and English (``scoring.text.language`` tells those two
apart by script, cheaply). Real help desks also receive German, Spanish, Japanese...: text
in those must be stored as what it is and left unscored rather than read as English. This
module names the language with lingua (statistical n-gram models that ship inside the
``lingua-language-detector`` wheel, so it runs offline), restricted to the languages a
support desk plausibly meets, which keeps its memory and time small.

Short messages ("ok", "Danke!", "👍") say too little for any detector: they are left
undecided and inherit the language their author uses elsewhere in the conversation, or the
conversation's. A conversation's language is the one holding most letters among its
decided messages, so one English sentence in a German chat does not relabel it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

SUPPORTED = frozenset({"ru", "en"})
#: Letters a message needs before the detector is asked; below it the message inherits.
MIN_LETTERS = 12
#: Characters of one message the detector reads: the language is settled by then.
MAX_CHARS = 400
#: How far ahead of the runner-up lingua's best guess must be (its relative distance).
MIN_DISTANCE = 0.05

# ISO 639-1 codes a file may state for a conversation (accepted as they are); lingua's names.
LANGUAGES: dict[str, str] = {
    "en": "ENGLISH", "ru": "RUSSIAN", "uk": "UKRAINIAN", "be": "BELARUSIAN",
    "kk": "KAZAKH", "bg": "BULGARIAN", "sr": "SERBIAN", "de": "GERMAN", "fr": "FRENCH",
    "es": "SPANISH", "it": "ITALIAN", "pt": "PORTUGUESE", "nl": "DUTCH", "pl": "POLISH",
    "cs": "CZECH", "sk": "SLOVAK", "sv": "SWEDISH", "da": "DANISH", "nb": "BOKMAL",
    "fi": "FINNISH", "et": "ESTONIAN", "lv": "LATVIAN", "lt": "LITHUANIAN", "ro": "ROMANIAN",
    "hu": "HUNGARIAN", "tr": "TURKISH", "el": "GREEK", "hy": "ARMENIAN", "ka": "GEORGIAN",
    "az": "AZERBAIJANI", "ja": "JAPANESE", "zh": "CHINESE", "ko": "KOREAN", "ar": "ARABIC",
    "he": "HEBREW", "fa": "PERSIAN", "hi": "HINDI", "th": "THAI", "vi": "VIETNAMESE",
    "id": "INDONESIAN", "ms": "MALAY",
}  # fmt: skip
KNOWN_CODES = frozenset(LANGUAGES)
#: The languages the detector tells apart: those support desks here meet most. Each one
#: costs lingua's n-gram models in memory once text of its script reaches the detector;
#: all 41 above took about 770 MB and Russian tweets came out Bulgarian or Serbian, these
#: 25 about 440 MB with the same English accuracy (docs/autoqa.md, "Language detection").
#: Text in a language left out is named after its nearest neighbour here, still unscored.
DETECTED = ("en", "ru", "uk", "be", "kk", "de", "fr", "es", "it", "pt", "nl", "pl", "cs",
            "tr", "sv", "ro", "el", "hy", "ka", "ja", "zh", "ko", "ar", "he", "hi")  # fmt: skip

_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[@#]\w+|\d+")
# Any letter of any script (digits and underscore excluded).
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _detector():
    """The lingua detector over ``DETECTED``: built on first use (a text neither Russian nor
    English by its letters and words), each language's models loaded when text of its
    script first reaches it, never all up front."""
    from lingua import Language, LanguageDetectorBuilder

    chosen = [getattr(Language, LANGUAGES[code]) for code in DETECTED]
    return (
        LanguageDetectorBuilder.from_languages(*chosen)
        .with_minimum_relative_distance(MIN_DISTANCE)
        .build()
    )


@lru_cache(maxsize=1)
def _code_of() -> dict[object, str]:
    from lingua import Language

    return {getattr(Language, LANGUAGES[code]): code for code in DETECTED}


def _cleaned(text: str) -> str:
    return _NOISE.sub(" ", (text or "")[:MAX_CHARS])


def letter_count(text: str) -> int:
    """Letters of ``text`` outside links, addresses, handles and numbers."""
    return len(_LETTER.findall(_cleaned(text)))


# Kana, CJK ideographs and Hangul: scripts written without spaces between words.
_NO_SPACES = re.compile("[\u3040-\u9fff\uac00-\ud7af]")


def _needs_words(text: str) -> bool:
    """Scripts written without spaces (Japanese, Chinese) carry a word in two letters.
    One search of a character class (C) instead of a Python test per character."""
    return _NO_SPACES.search(text) is None


def _decidable(text: str) -> bool:
    cleaned = _cleaned(text)
    letters = len(_LETTER.findall(cleaned))
    return letters >= (MIN_LETTERS if _needs_words(cleaned) else 3)


# Words only English uses this often: a Latin-script message made largely of them is English
# without asking lingua, which compares some twenty Latin-script languages (~100 texts/s).
_ENGLISH_TEXT = (
    "the you your you're yours you'll you've and of for with this that these those our us "
    "please thank thanks have has had will would could should can can't cannot what when "
    "where which who why how it it's its be been being i i'm i'll i've i'd are was were "
    "there here if not don't doesn't didn't won't isn't aren't sorry hello hi hey yes okay "
    "ok sure let let's check just need help any some all from by at about one like great "
    "day nice good thank's welcome time number would've more also they them their do does "
    "did get got make know see look want wish very really much many than then an"
)
_ENGLISH_WORDS = frozenset(_ENGLISH_TEXT.split())
_WORD = re.compile(r"[a-z']+")
_OTHER_LATIN_TEXT = (
    "der die das und ich nicht ist mein meine ein eine mit sie wir bitte danke haben "
    "el la los las que por para con una pero gracias hola es mi "
    "le les et est pas je vous nous merci bonjour avec pour une "
    "il che non per sono grazie ciao della "
    "het een niet ik je wij dank zijn van "
    "nie jest tak dzień się"
)
_OTHER_LATIN_WORDS = frozenset(_OTHER_LATIN_TEXT.split())
_NON_ASCII_LATIN = re.compile(r"[\u00c0-\u024f]")
# Letters Russian has and its Cyrillic neighbours lack (ы, э), and letters only they have.
_RUSSIAN_ONLY = re.compile("[ыэЫЭ]")
_OTHER_CYRILLIC = re.compile("[іїєґўәғқңөұүһјљњћџђІЇЄҐЎӘҒҚҢӨҰҮҺЈЉЊЋЏЂ]")
_CYRILLIC = re.compile("[а-яА-ЯёЁ]")
_NOT_RUSSIAN_LETTER = re.compile(r"[^\W\d_а-яА-ЯёЁ]")
#: Cyrillic letters after which a text with none of Ukrainian's, Belarusian's or Kazakh's own
#: letters (і, ї, є, ў, ә...) is Russian even without ы or э: those letters are so frequent in
#: their languages that 40 letters without any of them almost never happen (lingua called
#: 2.4% of Russian tweets Ukrainian, Kazakh or Belarusian).
RUSSIAN_BY_LETTERS = 40
# English's letters: what is left of a text's letters without them is foreign to English.
_ENGLISH_LETTERS = re.compile(r"[A-Za-z]")


def _obvious(cleaned: str) -> str | None:
    """Russian or English when the text leaves no doubt (most support messages do)."""
    if _CYRILLIC.search(cleaned):
        letters = len(_LETTER.findall(cleaned))
        cyrillic = len(_CYRILLIC.findall(cleaned))
        if (
            cyrillic >= 0.9 * letters
            and not _OTHER_CYRILLIC.search(cleaned)
            and (_RUSSIAN_ONLY.search(cleaned) or cyrillic >= RUSSIAN_BY_LETTERS)
        ):
            return "ru"
        return None
    if _NON_ASCII_LATIN.search(cleaned) or not cleaned.isascii():
        return None
    words = _WORD.findall(cleaned.lower())
    hits = {w for w in words if w in _ENGLISH_WORDS}
    if len(hits) >= 2 and sum(w in _ENGLISH_WORDS for w in words) >= 0.25 * len(words):
        return "en"
    return None


@lru_cache(maxsize=50_000)
def identify_language(text: str) -> str | None:
    """ISO 639-1 code of one message, or ``None`` when it is too short or too ambiguous
    to tell (the caller decides what an undecided message inherits)."""
    if not _decidable(text):
        return None
    cleaned = _cleaned(text)
    obvious = _obvious(cleaned)
    if obvious is not None:
        return obvious
    found = _detector().detect_language_of(cleaned)
    return None if found is None else _code_of()[found]


def identify_languages(texts: Sequence[str]) -> list[str | None]:
    """``identify_language`` of each text (memoised per text: templates repeat)."""
    return [identify_language(t or "") for t in texts]


def conversation_languages(
    texts: Sequence[str],
    roles: Sequence[str] | None = None,
    default: str = "en",
) -> tuple[str, list[str]]:
    """The conversation's language and every message's, each an ISO 639-1 code.

    Undecided messages take their author role's most common language in the conversation,
    else the conversation's. The conversation's language is the decided language with the
    most letters; a conversation of short messages only falls back on the Russian/English
    script rule over all its text, then ``default``.
    """
    decided = identify_languages(texts)
    letters: Counter[str] = Counter()
    by_role: dict[str, Counter[str]] = {}
    roles = list(roles) if roles is not None else [""] * len(texts)
    for text, lang, role in zip(texts, decided, roles, strict=True):
        if lang is not None:
            letters[lang] += letter_count(text)
            by_role.setdefault(role, Counter())[lang] += 1
    if letters:
        conversation = letters.most_common(1)[0][0]
    else:
        joined = " ".join(t for t in texts if t)
        conversation = identify_language(joined) if _decidable(joined) else None
        if conversation is None:
            from scoring.text.language import detect_language

            conversation = detect_language(joined, default=default)
    out = []
    for lang, role in zip(decided, roles, strict=True):
        if lang is None:
            counts = by_role.get(role)
            lang = counts.most_common(1)[0][0] if counts else conversation
        out.append(lang)
    return conversation, out


def _other_latin_words(text: str) -> int:
    """Distinct function words of German, Spanish, French... in an unaccented text."""
    return len({w for w in _WORD.findall(text.lower()) if w in _OTHER_LATIN_WORDS})


def _foreign_to(text: str, lang: str) -> bool:
    """Could this message be in another language than its conversation's ``lang``?
    Letters outside the conversation's alphabet say so: accented Latin or another script
    in an English conversation, Latin or Ukrainian letters in a Russian one."""
    if lang == "en":
        if not text.isascii():
            return _LETTER.search(_ENGLISH_LETTERS.sub("", text)) is not None
        # Unaccented German/Spanish/French...: their own function words give them away;
        # anything else stays English without loading lingua's Latin-script models.
        if _other_latin_words(text) < 2:  # checked first: the cheapest test that settles it
            return False
        return _decidable(text) and _obvious(_cleaned(text)) is None
    if lang == "ru":
        if _NOT_RUSSIAN_LETTER.search(text) is None:  # Russian letters only (most messages)
            return False
        cleaned = _cleaned(text)
        letters = len(_LETTER.findall(cleaned))
        return (
            bool(_OTHER_CYRILLIC.search(cleaned)) or len(_CYRILLIC.findall(cleaned)) < 0.2 * letters
        )
    return True


def _stays_english(texts: Sequence[str]) -> bool:
    """No message of an English conversation can be foreign (``_foreign_to``), told from
    all its text at once: plain ASCII with fewer than two other languages' function words
    in the whole conversation leaves none with two."""
    joined = " ".join(texts)
    return joined.isascii() and _other_latin_words(joined) < 2


def message_languages(
    texts: Sequence[str], conversation: str | None, roles: Sequence[str] | None = None
) -> list[str]:
    """Each message's language inside a conversation stored as ``conversation``.

    In a Russian or English conversation only messages with letters foreign to it are
    identified (the scoring pipeline calls this for every message, and lingua is slow on
    Latin script); the rest keep the conversation's language. Otherwise every message is
    identified as in ``conversation_languages``.
    """
    if conversation not in SUPPORTED:
        found, langs = conversation_languages(texts, roles)
        if conversation and conversation != found:  # an explicit language wins for the undecided
            decided = identify_languages(texts)
            langs = [d or conversation for d in decided]
        return langs
    if conversation == "en" and _stays_english(texts):
        return [conversation] * len(texts)
    out = []
    for text in texts:
        lang = conversation
        if text and _foreign_to(text, conversation):
            found = identify_language(text)
            if found is not None and found != conversation:
                lang = found if _unlike(text, conversation) else conversation
        out.append(lang)
    if roles is not None:
        _short_ones_follow_their_author(texts, list(roles), conversation, out)
    return out


def _short_ones_follow_their_author(
    texts: Sequence[str], roles: list[str], conversation: str, langs: list[str]
) -> None:
    """A customer who writes German in an English chat also writes "Ja, bitte": a message
    too short to identify takes the language its author mostly writes in this
    conversation, when that is not the conversation's (changes ``langs`` in place)."""
    foreign: dict[str, Counter[str]] = {}
    for role, lang in zip(roles, langs, strict=True):
        if lang != conversation:
            foreign.setdefault(role, Counter())[lang] += 1
    if not foreign:  # nothing to follow (almost every conversation): skip the letter counts
        return
    own: Counter[str] = Counter()
    for text, role, lang in zip(texts, roles, langs, strict=True):
        if lang == conversation and text and _decidable(text):
            own[role] += 1
    for i, (text, role) in enumerate(zip(texts, roles, strict=True)):
        counts = foreign.get(role)
        if counts is None or langs[i] != conversation or (text and _decidable(text)):
            continue
        lang, n = counts.most_common(1)[0]
        if n >= 2 and n > own[role]:  # one foreign line is no habit: "ok" stays English
            langs[i] = lang


#: A message leaves its conversation's language only when lingua gives that language
#: less than this confidence: one Portuguese-looking English line stays English.
MAX_STAYING_CONFIDENCE = 0.1


def _unlike(text: str, lang: str) -> bool:
    from lingua import Language

    language = getattr(Language, LANGUAGES[lang])
    confidence = _detector().compute_language_confidence(_cleaned(text), language)
    return confidence < MAX_STAYING_CONFIDENCE


def is_supported(lang: str | None) -> bool:
    """Whether the automatic scorers read this language (Russian and English)."""
    return lang in SUPPORTED

"""Language-aware text handling shared by all scorers."""

from scoring.text.language import detect_language, detect_languages
from scoring.text.tokens import Token, lemma, tokenize

__all__ = ["Token", "detect_language", "detect_languages", "lemma", "tokenize"]

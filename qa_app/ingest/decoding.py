"""Decoding one physical line at a time: UTF-8 where the line is UTF-8, else cp1251.

Why per line: exports are often assembled from pieces (a UTF-8 dump with rows pasted from a
Russian Excel sheet). Guessing one encoding for the whole file from its first megabyte
stored one half garbled and said nothing. A line of Russian text in cp1251 is practically
never valid UTF-8, so each line is tried as UTF-8 first; the lines read as cp1251 are
recorded, and when a file holds both kinds the import says which lines were which.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SHOWN_RANGES = 12


@dataclass(slots=True)
class LineRanges:
    """Line numbers, kept as ranges (a file of a million cp1251 lines is one range)."""

    ranges: list[list[int]] = field(default_factory=list)
    count: int = 0

    def add(self, line: int) -> None:
        self.count += 1
        if self.ranges and self.ranges[-1][1] == line - 1:
            self.ranges[-1][1] = line
        else:
            self.ranges.append([line, line])

    def describe(self, limit: int = SHOWN_RANGES) -> str:
        """``3, 7-9, 12`` (and ``…`` after ``limit`` ranges)."""
        parts = [str(a) if a == b else f"{a}-{b}" for a, b in self.ranges[:limit]]
        return ", ".join(parts) + (", …" if len(self.ranges) > limit else "")


@dataclass(slots=True)
class LineDecoder:
    """Decodes lines; remembers which were cp1251 and how many non-ASCII ones were UTF-8."""

    cp1251: LineRanges = field(default_factory=LineRanges)
    utf8_lines: int = 0

    def decode(self, data: bytes, line: int) -> tuple[str, bool]:
        """``(text, ok)``; ``ok`` is False when the bytes are neither UTF-8 nor cp1251 (the
        one byte cp1251 leaves undefined, 0x98): the text then holds U+FFFD in its place."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1251")
            except UnicodeDecodeError:
                return data.decode("cp1251", errors="replace"), False
            self.cp1251.add(line)
            return text, True
        if not data.isascii():
            self.utf8_lines += 1
        return text, True

    @property
    def mixed(self) -> bool:
        """Both UTF-8 and cp1251 lines were seen (a file entirely in one is not mixed)."""
        return bool(self.cp1251.count and self.utf8_lines)

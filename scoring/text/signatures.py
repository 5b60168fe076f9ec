"""How an agent signs a reply on social media: initials after a sigil at its very end
("^JK", "*SR", "~Lou", "-AB", «^АК»). Clarity skips the signature as not prose, and the
pipeline still sees "Which version? ^JK" as a question the customer then answers."""

from __future__ import annotations

#: A signature (regular-expression source, no anchors): a sigil and a short name, or a dash
#: or slash and up to three capitals. Callers anchor it at the end of the text.
SIGNATURE = r"(?:[\^*~]\s?[^\W\d_]{1,12}|(?<!\w)[-–—/]\s?[A-ZА-ЯЁ]{1,3})"

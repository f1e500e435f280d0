"""Small text rules shared by the domain: matching names and checking free text.

Names typed by different organizers must match the same person or organization when they
differ only in case, accents or spacing ("Diego  Morales" and "diego morales" are one speaker).
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value: str | None) -> str:
    """Trim and fold runs of white space to one space (None becomes "")."""
    if value is None:
        return ""
    return _SPACES.sub(" ", str(value)).strip()


def match_key(value: str | None) -> str:
    """The key two names share when they differ only in case, accents or spacing."""
    decomposed = unicodedata.normalize("NFKD", clean(value))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold()


def has_control_characters(value: str) -> bool:
    """True for text holding control characters other than tab and newline."""
    return bool(_CONTROL.search(value))

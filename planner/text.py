"""Small text rules shared by the domain: matching names and checking free text.

Names typed by different organizers must match the same person or organization when they
differ only in case, accents or spacing ("Diego  Morales" and "diego morales" are one speaker).
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# C0 and C1 controls (tab and line breaks excepted), and lone surrogates, which cannot even
# be stored as UTF-8.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean(value: str | None) -> str:
    """Trim and fold runs of white space to one space (None becomes "")."""
    if value is None:
        return ""
    return _SPACES.sub(" ", str(value)).strip()


# Arabic tatweel (ـ), a stretch of the line between letters, carries no meaning; alef maksura (ى)
# is typed for a final yeh (ي) and the two are searched as one.
_FOLD = str.maketrans({"\u0640": None, "\u0649": "\u064a"})


def match_key(value: str | None) -> str:
    """The key two names share when they differ only in case, accents or spacing, in any script:
    Latin accents, Arabic short vowels (tashkeel) and hamza/madda on alef, Cyrillic ё and е,
    full-width and half-width forms (NFKD). Chinese has no case or accents and stays as it is."""
    decomposed = unicodedata.normalize("NFKD", clean(value))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.translate(_FOLD).casefold())


def sort_key(value: str | None) -> tuple[str, str]:
    """A key to sort names for people, in any script: case and accents do not count (Émile sorts
    with Emile, ёлка with елка), then the exact text breaks ties so the order is stable.

    Built on ``unicodedata``, not ``locale.strxfrm`` (which depends on the locales installed on
    the server and on one process-wide setting, while sessions differ in language) nor pyuca (a
    dependency for the Unicode root order, which for these scripts is what this gives: Latin,
    Cyrillic and Arabic letters are in alphabetical order in Unicode once accents are gone, and
    the root order of Chinese characters is by code point, as here)."""
    return match_key(value), clean(value)


_INVISIBLE = {"Zs", "Zl", "Zp", "Cc", "Cf", "Cs"}


def has_visible_characters(value: str) -> bool:
    """False for text made only of spaces and invisible marks (zero-width spaces…)."""
    return any(unicodedata.category(ch) not in _INVISIBLE for ch in value)


def has_control_characters(value: str) -> bool:
    """True for text holding control characters other than tab and newline."""
    return bool(_CONTROL.search(value))


def parse_rows(pasted: str, columns: list[str]) -> list[dict[str, str]]:
    """Rows pasted as text, one per line, cells split by tabs (a spreadsheet copy) or
    semicolons: "Diego Morales; CELS/GCM; video message". Missing cells are empty,
    blank lines are skipped, extra cells are joined into the last column."""
    rows = []
    for line in (pasted or "").splitlines():
        if not line.strip():
            continue
        cells = [clean(c) for c in (line.split("\t") if "\t" in line else line.split(";"))]
        if len(cells) > len(columns):
            cells = cells[: len(columns) - 1] + ["; ".join(cells[len(columns) - 1 :])]
        rows.append({c: (cells[i] if i < len(cells) else "") for i, c in enumerate(columns)})
    return rows

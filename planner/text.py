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


# Letters whose accents NFKD does not split off, and Arabic letters written interchangeably
# (issue #13): folded as a search box in that script would. Cyrillic "й" stays apart from "и":
# Russian collation (CLDR) tells them apart at primary strength; "ё" folds to "е", as it does.
_FOLD = str.maketrans({
    "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ħ": "h", "Ħ": "h", "ı": "i",
    "ى": "ي", "ة": "ه", "ـ": "",  # alef maksura as yeh, teh marbuta as heh, tatweel (a stretch) dropped
})
_BREVE = "\u0306"  # what makes "й" of "и" once NFKD splits it: kept after "и"


def match_key(value: str | None) -> str:
    """The key two names (or a search and a text) share when they differ only in case, accents,
    spacing or width, in every script: Latin accents, Cyrillic "ё" (not "й"), Arabic vowel
    marks, hamza on alef ("إأآ" → "ا"), "ى" → "ي" and "ة" → "ه", full-width Latin and digits of
    Chinese text (NFKC width). Used to match and to sort (``name_key``)."""
    kept, previous = [], ""
    for ch in unicodedata.normalize("NFKD", clean(value)):
        if not unicodedata.combining(ch):
            kept.append(ch)
            previous = ch
        elif ch == _BREVE and previous in "иИ":
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept).translate(_FOLD).casefold())


_NOT_SLUG = re.compile(r"[\W_]+")


def slug(name: str | None) -> str:
    """A name as it can be written in an address (issue #14: ``/embed?organization=…``): its
    ``match_key`` with every run of anything but letters and digits as one "-" ("Global
    Coalition on Migration (GCM)" → "global-coalition-on-migration-gcm"; Arabic, Cyrillic or
    Chinese letters stay as they are). Two names with the same key have the same slug."""
    return _NOT_SLUG.sub("-", match_key(name)).strip("-")


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

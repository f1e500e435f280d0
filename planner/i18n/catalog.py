"""Keep the catalogues in step with the source: ``python -m planner.i18n.catalog``.

1. extract every marked string (``_``, ``N_``, ``ngettext``) from ``app.py`` and ``planner/``
   into ``planner/i18n/messages.pot``, with where each one is used;
2. update each language's ``messages.po`` from it (new strings added, gone ones marked
   obsolete; English is the source language, so its translation of each string is itself);
3. compile each ``.po`` to the ``.mo`` the app loads.

``--check`` changes nothing and exits 1 when a compiled catalogue lacks a marked string
(the test suite runs the same check). Babel does all the reading and writing of PO/MO files.
"""

from __future__ import annotations

import copy

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from . import DEFAULT, DOMAIN, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = Path(__file__).parent / f"{DOMAIN}.pot"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
METHOD_MAP = [("planner/**.py", "python"), ("app.py", "python")]


def extract() -> Catalog:
    """Every marked string in the source, as a template catalogue."""
    template = Catalog(project="Side Event Planner", domain=DOMAIN, fuzzy=False)
    for folder, files in (("planner", "planner/**.py"), (".", "app.py")):
        method_map = [(files.split("/", 1)[1] if folder == "planner" else files, "python")]
        for filename, lineno, message, comments, context in extract_from_dir(
            ROOT / folder, method_map=method_map, keywords=KEYWORDS, comment_tags=("Translators:",),
            strip_comment_tags=True,
        ):
            location = (f"{folder}/{filename}" if folder != "." else filename, lineno)
            template.add(message, None, [location], auto_comments=comments, context=context)
    return template


def _po_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def update(template: Catalog) -> None:
    with TEMPLATE.open("wb") as f:
        write_po(f, template, width=100, omit_header=False, sort_output=True)
    codes = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")} | {DEFAULT}
    for code in sorted(codes):
        path = _po_path(code)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as f:
                catalog = read_po(f, locale=code)
        else:
            catalog = Catalog(locale=code, domain=DOMAIN, project="Side Event Planner")
        # No fuzzy matching: Babel's guesses gave new sentences other sentences' translations,
        # with other placeholders (one would crash when formatted); a new string stays empty
        # until a person translates it, and English shows meanwhile.
        # A copy each: Babel puts the template's own Message objects into the catalogue it
        # updates, so the source language's "each string is its own translation" below would
        # otherwise fill the new strings of every language after it with English.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True, update_header_comment=False)
        if code == DEFAULT:  # the source language: each string is its own translation
            for message in catalog:
                if message.id:
                    message.string = message.id
                    message.flags.discard("fuzzy")
        with path.open("wb") as f:
            write_po(f, catalog, width=100, sort_output=True, ignore_obsolete=code == DEFAULT)
        with path.open("rb") as f:
            catalog = read_po(f, locale=code)
        with path.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog)
    from . import _compiled

    _compiled.cache_clear()  # a new language may have been compiled


def missing(template: Catalog, code: str = DEFAULT) -> list[str]:
    """Marked strings the compiled catalogue of ``code`` does not hold."""
    path = _po_path(code).with_suffix(".mo")
    if not path.exists():
        return [str(m.id) for m in template if m.id]
    with path.open("rb") as f:
        compiled = read_mo(f)
    return sorted(str(m.id) for m in template if m.id and m.id not in compiled)


def main(argv: list[str]) -> int:
    template = extract()
    if "--check" in argv:
        absent = missing(template)
        for message in absent:
            print(f"not in the compiled {DEFAULT} catalogue: {message!r}")
        return 1 if absent else 0
    update(template)
    print(f"{len(template)} strings; catalogues updated and compiled under {LOCALE_DIR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

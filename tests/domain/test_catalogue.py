"""The translation catalogue: every marked string is compiled, and the pseudo language shows
what is marked.

``python -m planner.i18n.catalog`` extracts the marked strings (``_``, ``N_``, ``ngettext``)
and compiles the catalogues; these tests fail when someone marks a string and forgets to run it,
or marks one where the extractor cannot see it.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from planner import codes, i18n
from planner.i18n import catalog

ROOT = Path(__file__).resolve().parents[2]


def test_every_marked_string_is_in_the_compiled_english_catalogue():
    template = catalog.extract()
    absent = catalog.missing(template)
    assert not absent, f"run `python -m planner.i18n.catalog` and commit the result; missing: {absent}"
    assert catalog.main(["--check"]) == 0


def test_the_pages_strings_are_extracted():
    template = catalog.extract()
    files = {path for message in template for path, _line in message.locations}
    pages = {f"planner/ui/{p.name}" for p in (ROOT / "planner" / "ui").glob("*.py")} - {"planner/ui/__init__.py"}
    assert pages <= files, f"pages with no marked string: {sorted(pages - files)}"
    assert "app.py" in files and "planner/ui/components/rsvp.py" in files
    assert "Side events programme" in template and ("{count} event", "{count} events") in template


def test_nothing_is_marked_inside_an_f_string():
    """The extractor reads an f-string as one string (before Python 3.12): a ``_()`` inside one
    would be shown untranslated and never reach the catalogue."""
    call = re.compile(r"\{[^{}]*(?<![\w.])(?:_|N_|ngettext)\(")  # a marking call inside {…}
    hidden = []
    for path in [ROOT / "app.py", *sorted((ROOT / "planner").rglob("*.py"))]:
        for token in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
            prefix = re.match(r"[a-zA-Z]*", token.string).group(0).lower()
            if token.type == tokenize.STRING and "f" in prefix and call.search(token.string):
                hidden.append(f"{path.relative_to(ROOT)}:{token.start[0]}")
    assert not hidden, hidden


def test_the_pseudo_language_wraps_every_marked_string():
    with i18n.using(i18n.PSEUDO):
        assert i18n._("Register") == "⟦Register⟧"
        assert i18n.ngettext("{count} place", "{count} places", 3).format(count=3) == "⟦3 places⟧"
        assert str(codes.FORMAT_LABELS["online"]) == "⟦Online⟧"
        assert codes.label(codes.SPEAKER_ROLE_HEADINGS, "chair") == "⟦Chair⟧"
    assert i18n._("Register") == "Register"  # only inside the block

"""The README's method table documents every public method of ``Planner``, and only those.

Like sqlite-utils' tests/test_docs.py: the table under "## The Planner API" whose first column
is headed "method" names methods in backticks, alone (`` `get_venue` ``) or with their
arguments (`` `add_summit(name, city, timezone, starts_on, ends_on)` ``), several to a cell.
Both the README and the class are read when the tests run, so a method added to ``Planner``
fails here, by name, until the table lists it; and a name left in the table after its method
went fails too.

A public method is a callable attribute whose name does not start with "_", defined on
``Planner`` or on a class it inherits from (other than ``object``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from planner import Planner

README = Path(__file__).resolve().parents[1] / "README.md"
SECTION = "## The Planner API"


def documented_methods() -> list[str]:
    """The method names in the first column of the README's method table, in order."""
    text = README.read_text(encoding="utf-8")
    section = re.search(rf"^{re.escape(SECTION)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert section, f"README.md has no {SECTION!r} section"
    lines = section.group(1).splitlines()
    header = next((i for i, line in enumerate(lines) if re.match(r"\|\s*method\s*\|", line)), None)
    assert header is not None, f"no table headed '| method |' under {SECTION!r} in README.md"
    names = []
    for line in lines[header + 2 :]:  # after the header and its |---| line
        if not line.startswith("|"):
            break
        for span in re.findall(r"`([^`]+)`", line.split("|")[1]):
            name = re.match(r"\s*([A-Za-z_]\w*)", span)
            assert name, f"`{span}` in the README's method table does not start with a method name"
            names.append(name.group(1))
    return names


def public_methods() -> list[str]:
    names = {name for cls in Planner.__mro__ if cls is not object for name in vars(cls)}
    return sorted(n for n in names if not n.startswith("_") and callable(getattr(Planner, n)))


DOCUMENTED = documented_methods()
PUBLIC = public_methods()


def test_the_table_and_the_class_were_both_read():
    # Guards the two tests below against passing on nothing: an empty list makes no test.
    assert len(DOCUMENTED) > 40, f"only {len(DOCUMENTED)} method names read from the README's table: {DOCUMENTED}"
    assert len(PUBLIC) > 40, f"only {len(PUBLIC)} public methods found on Planner: {PUBLIC}"


@pytest.mark.parametrize("method", PUBLIC)
def test_every_public_method_is_in_the_readme_table(method):
    assert method in DOCUMENTED, f"Planner.{method} is missing from the method table under {SECTION!r} in README.md"


@pytest.mark.parametrize("name", DOCUMENTED)
def test_every_name_in_the_readme_table_is_a_public_method(name):
    assert name in PUBLIC, f"the method table under {SECTION!r} in README.md names {name!r}, which Planner does not have"

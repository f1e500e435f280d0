"""axe-core in the browser journeys (issue #16, WCAG 2.1 AA).

``axe-playwright-python`` ships ``axe.min.js`` inside the package, so the check needs no
network. ``assert_accessible(page, name)`` runs the WCAG 2.0/2.1 A and AA rules on the page as
it stands and fails on any *serious* or *critical* violation, except the ones listed in
``ALLOWED``: Streamlit's own markup that the app cannot change, each with its reason. The
README's "Accessibility" section lists the same exceptions; keep the two in step.
"""

from __future__ import annotations

from tests.browser.chromium import wait_for_app

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# rule id → (CSS selector fragment every offending node's target must contain, why it is allowed)
ALLOWED: dict[str, tuple[str, str]] = {}


def violations(page) -> list[dict]:
    """The serious or critical WCAG A/AA violations on ``page`` now, less the allowed ones."""
    from axe_playwright_python.sync_playwright import Axe

    wait_for_app(page)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]})
    found = []
    for v in results.response["violations"]:
        if v.get("impact") not in ("serious", "critical"):
            continue
        nodes = v["nodes"]
        allowed = ALLOWED.get(v["id"])
        if allowed:
            nodes = [n for n in nodes if not any(allowed[0] in str(t) for t in n["target"])]
        if nodes:
            found.append({"id": v["id"], "impact": v["impact"], "help": v["help"],
                          "nodes": [(n["target"], n.get("failureSummary", "")) for n in nodes]})
    return found


def report(found: list[dict]) -> str:
    lines = []
    for v in found:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for target, summary in v["nodes"][:8]:
            lines.append(f"    {target}: {summary.splitlines()[-1] if summary else ''}")
    return "\n".join(lines)


def assert_accessible(page, name: str) -> None:
    """No serious or critical WCAG 2.1 A/AA violation on ``page`` (``name`` says which, on failure)."""
    found = violations(page)
    assert not found, f"axe-core on {name}:\n{report(found)}"

"""axe-core (the copy bundled in ``axe-playwright-python``: nothing is fetched) on the organizer's
pages (issue #16): ``serious_violations(page)`` lists the serious and critical WCAG 2.1 A/AA
violations left after the exceptions below, each forced by Streamlit's own markup and listed, with
its reason, in the README (*Accessibility*)."""

from __future__ import annotations

# rule id -> why it cannot be fixed from the app (kept in step with the README).
EXCEPTIONS: dict[str, str] = {}

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def violations(page) -> list[dict]:
    """Every WCAG 2.1 A/AA violation axe finds on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
    return results.response["violations"]


def serious_violations(page) -> list[str]:
    """The serious and critical violations not excepted, as "rule: target — summary" lines."""
    found = []
    for v in violations(page):
        if v["impact"] not in ("serious", "critical") or v["id"] in EXCEPTIONS:
            continue
        for node in v["nodes"]:
            found.append(f"{v['id']}: {node['target']} — {node.get('failureSummary', '')[:200]}")
    return found

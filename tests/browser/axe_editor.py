"""axe-core (the copy bundled in ``axe-playwright-python``: nothing is fetched) on the organizer's
pages (issue #16): ``serious_violations(page)`` lists the serious and critical WCAG 2.1 A/AA
violations found, apart from the exceptions below: each is Streamlit's own markup, is excepted only
inside the element it is about (the rule still runs on the rest of the page), and is listed with
its reason in the README (*Accessibility*)."""

from __future__ import annotations

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# (rule id, where) -> why it cannot be fixed from the app (kept in step with the README).
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("list", "[data-testid='stSidebarNavItems']"): (
        "Streamlit's page menu (phone width, in the sidebar) puts each section's heading as a <div> "
        "inside the <ul>"),
    ("listitem", "[data-testid='stSidebarNavItems']"): (
        "the same menu: its <li> items sit in that section <div>, not directly in the <ul>"),
}


def _run(page, options: dict, context=None) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, context=context, options={"resultTypes": ["violations"], **options}).response["violations"]


def violations(page) -> list[dict]:
    """Every WCAG 2.1 A/AA violation axe finds on the page as it is now, the exceptions left out
    (each excepted rule is run again on the page without the element it is excepted in)."""
    excepted = sorted({rule for rule, _where in EXCEPTIONS})
    found = _run(page, {"runOnly": {"type": "tag", "values": WCAG},
                        "rules": {rule: {"enabled": False} for rule in excepted}})
    for rule in excepted:
        outside = [[where] for r, where in EXCEPTIONS if r == rule]
        found += _run(page, {"runOnly": {"type": "rule", "values": [rule]}}, context={"exclude": outside})
    return found


def serious_violations(page) -> list[str]:
    """The serious and critical violations, as "rule: target — summary" lines."""
    found = []
    for v in violations(page):
        if v["impact"] not in ("serious", "critical"):
            continue
        for node in v["nodes"]:
            found.append(f"{v['id']}: {node['target']} — {node.get('failureSummary', '')[:200]}")
    return found

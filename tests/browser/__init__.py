"""Browser journeys (marked ``browser``): Playwright drives Debian's Chromium against a real server."""

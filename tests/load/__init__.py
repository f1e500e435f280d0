"""Load tests: many sessions at once against a real server, through bench/ (no timings asserted)."""

"""Helper modules shared by more than one folder of tests (not tests themselves)."""

"""Imported first by every bench script: run as `python bench/x.py`, Python puts bench/ first
on sys.path, where bench/calendar.py would hide the standard library's calendar module (which
icalendar needs). Swap bench/ for the repository root, so `import planner` works too."""

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

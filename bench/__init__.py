"""Speed measurements and the load test (see the README's *Benchmarks* and *Load tests*).

Run a script from the repository root, as the README does: ``python bench/conflicts.py``, or
``python -m bench.conflicts``. Run by its path, a script has bench/ first on ``sys.path`` but
not the repository root, so each script begins by putting the root first when it runs without
a package (``if not __package__``): ``planner`` then comes from this checkout, not from
wherever the package happens to be installed, and ``bench.*`` imports the way it does under
pytest, whose ``pythonpath = ["."]`` already has the root (tests import ``bench.rush`` and
``bench.server``).

Since bench/ comes before the standard library on a script's path, no file here may share a
name with a standard-library module (``email.py``, ``calendar.py``, ``http.py``, …): every bench
script run by its path, and everything it imports, would get that file instead.
"""

"""The load test: `python bench/run.py` (or `make bench`); see README.md."""

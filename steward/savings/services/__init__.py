"""Writes of the savings app: the register (initiatives.py) and TCO comparisons (tco.py)."""

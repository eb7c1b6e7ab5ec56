"""Writes of the satisfaction app: responses, survey links, imports and the reference records."""

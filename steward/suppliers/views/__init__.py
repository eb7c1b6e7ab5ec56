"""Web pages of the supply side: thin adapters between forms, selectors and services."""

"""Pages of the satisfaction app: thin adapters over its selectors and services."""

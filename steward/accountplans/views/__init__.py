"""Pages of account plans: the list, a plan's page with its sections, the standard."""

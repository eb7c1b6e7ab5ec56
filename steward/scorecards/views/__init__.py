"""The scorecard pages, one module per area."""

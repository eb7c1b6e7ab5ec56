"""Forms of the scorecard pages: they parse and check types; the services decide."""

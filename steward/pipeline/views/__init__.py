"""The pipeline's pages."""

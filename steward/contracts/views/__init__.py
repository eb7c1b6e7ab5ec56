"""The contract pages: list, detail with its tabs, forms and workflow actions."""

"""Web pages for organizations, sites, contacts, relationships and documents."""

"""Web pages of plans: initiatives, their milestones and the sourcing roadmap."""

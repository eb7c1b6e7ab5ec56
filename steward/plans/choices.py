from django.db import models


class InitiativeKind(models.TextChoices):
    IMPLEMENTATION = "implementation", "Implementation"
    INTEGRATION = "integration", "Integration program"
    COST_DOWN = "cost_down", "Cost-down program"
    JOINT_INNOVATION = "joint_innovation", "Joint innovation"
    RISK_REDUCTION = "risk_reduction", "Risk reduction"
    SOURCING = "sourcing", "Sourcing event or re-tender"
    OTHER = "other", "Other"


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    ON_HOLD = "on_hold", "On hold"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class MilestoneStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    MISSED = "missed", "Missed"

from django.db import models


class Industry(models.TextChoices):
    AEROSPACE = "aerospace", "Aerospace and defence"
    AUTOMOTIVE = "automotive", "Automotive"
    CHEMICALS = "chemicals", "Chemicals"
    CONSTRUCTION = "construction", "Construction"
    CONSUMER_GOODS = "consumer_goods", "Consumer goods"
    ENERGY = "energy", "Energy and utilities"
    FINANCIAL_SERVICES = "financial_services", "Financial services"
    FOOD = "food", "Food and beverage"
    HEALTHCARE = "healthcare", "Healthcare and life sciences"
    INDUSTRIAL = "industrial", "Industrial manufacturing"
    LOGISTICS = "logistics", "Logistics and transport"
    MEDIA = "media", "Media and telecommunications"
    PROFESSIONAL_SERVICES = "professional_services", "Professional services"
    PUBLIC_SECTOR = "public_sector", "Public sector"
    RETAIL = "retail", "Retail and wholesale"
    SOFTWARE = "software", "Software and IT services"
    OTHER = "other", "Other"


class SiteKind(models.TextChoices):
    HEADQUARTERS = "headquarters", "Headquarters"
    PLANT = "plant", "Plant"
    OFFICE = "office", "Office"
    WAREHOUSE = "warehouse", "Warehouse"
    DATA_CENTER = "data_center", "Data center"
    OTHER = "other", "Other"


class Side(models.TextChoices):
    SUPPLY = "supply", "Supply side (vendor)"
    DEMAND = "demand", "Demand side (account)"


class Tier(models.IntegerChoices):
    STRATEGIC = 1, "Tier 1 — strategic"
    KEY = 2, "Tier 2 — key"
    MANAGED = 3, "Tier 3 — managed"
    TRANSACTIONAL = 4, "Tier 4 — transactional"


class RelationshipStatus(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    ACTIVE = "active", "Active"
    UNDER_REVIEW = "under_review", "Under review"
    INACTIVE = "inactive", "Inactive"


class TeamRole(models.TextChoices):
    BACKUP_OWNER = "backup_owner", "Backup owner"
    EXECUTIVE_SPONSOR = "executive_sponsor", "Executive sponsor"
    PROCUREMENT = "procurement", "Procurement"
    LEGAL = "legal", "Legal"
    FINANCE = "finance", "Finance"
    IT_SECURITY = "it_security", "IT security"
    OPERATIONS = "operations", "Operations"
    SPECIALIST = "specialist", "Specialist"
    IMPLEMENTATION = "implementation", "Implementation"
    CUSTOMER_SERVICE = "customer_service", "Customer service"
    SALES = "sales", "Sales"


class Level(models.IntegerChoices):
    """Influence of a contact and strength of our relationship with them."""

    VERY_LOW = 1, "1 — very low"
    LOW = 2, "2 — low"
    MEDIUM = 3, "3 — medium"
    HIGH = 4, "4 — high"
    VERY_HIGH = 5, "5 — very high"


# Contact role tags are a fixed vocabulary kept in the ContactRole table.
CONTACT_ROLES = [
    ("buyer", "Buyer"),
    ("decision_maker", "Decision maker"),
    ("executive_sponsor", "Executive sponsor"),
    ("influencer", "Influencer"),
    ("evaluator", "Evaluator"),
    ("technical_contact", "Technical contact"),
    ("user", "User"),
    ("finance_contact", "Finance contact"),
    ("legal_contact", "Legal contact"),
    ("account_manager", "Their account manager"),
]

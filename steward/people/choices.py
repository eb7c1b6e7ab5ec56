from django.db import models


class Function(models.TextChoices):
    PROCUREMENT = "procurement", "Procurement"
    LEGAL = "legal", "Legal"
    FINANCE = "finance", "Finance"
    IT_SECURITY = "it_security", "IT security"
    OPERATIONS = "operations", "Operations"
    SALES = "sales", "Sales"
    BUSINESS_DEVELOPMENT = "business_development", "Business development"
    CUSTOMER_SERVICE = "customer_service", "Customer service"
    EXECUTIVE = "executive", "Executive"


class JobRole(models.TextChoices):
    """Job roles are Django auth groups of these names; the access policy reads two of them."""

    VENDOR_MANAGER = "Vendor manager"
    ACCOUNT_MANAGER = "Account manager"
    FIELD_SALES_MANAGER = "Field sales manager"
    SPECIALIST = "Specialist"
    AUDITOR = "Auditor"
    ADMINISTRATOR = "Administrator"


class UserKind(models.TextChoices):
    INTERNAL = "internal", "Internal"
    EXTERNAL = "external", "External (portal)"

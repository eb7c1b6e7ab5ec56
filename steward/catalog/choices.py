from django.db import models


class OfferingKind(models.TextChoices):
    PRODUCT = "product", "Product"
    SERVICE = "service", "Service"
    SUBSCRIPTION = "subscription", "Subscription"

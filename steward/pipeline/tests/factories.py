"""Opportunities over the demand-side test world, made through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from steward.catalog.tests.factories import ProductFactory
from steward.pipeline import services
from steward.pipeline.choices import PenetrationType
from steward.pipeline.models import Opportunity
from steward.spend.models import ExchangeRate


def opportunity(
    *, actor: Any, relationship: Any, name: str = "Packaging line", **kwargs: Any
) -> Opportunity:
    kwargs.setdefault("close_date", timezone.localdate() + dt.timedelta(days=30))
    kwargs.setdefault("penetration_type", PenetrationType.NEW_PRODUCT)
    return services.opportunity_create(actor=actor, relationship=relationship, name=name, **kwargs)


def with_line(
    opp: Opportunity,
    *,
    actor: Any,
    quantity: str = "2",
    unit_price: str | None = "500",
    discount: str = "0",
    product: Any = None,
) -> Opportunity:
    services.line_add(
        actor=actor,
        opportunity=opp,
        product=product or ProductFactory(),
        quantity=Decimal(quantity),
        unit_price=None if unit_price is None else Decimal(unit_price),
        discount_percent=Decimal(discount),
    )
    return Opportunity.objects.get(pk=opp.pk)


def rate(currency: str, day: dt.date, value: str) -> ExchangeRate:
    return ExchangeRate.objects.create(currency=currency, rate_date=day, rate=Decimal(value))


def proposal_pdf(name: str = "proposal.pdf", text: str = "our offer") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")

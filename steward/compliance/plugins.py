"""How compliance plugs into the shared screens: the risk dashboard, a vendor's risk tab, the
risk score, the portal home, due items, search and the menu. Every provider reads through the
access policy (the risk factor excepted: a score is a fact about the vendor)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from steward.compliance import expiry, selectors
from steward.compliance.forms import FulfilForm
from steward.core.access import principal_for
from steward.core.registry import DueItem, NavEntry, PortalSection, SearchHit

DUE_LIMIT = 50
PANEL_LIMIT = 15


def expiring_due(user: Any, today: dt.date, until: dt.date) -> list[DueItem]:
    """Inside: certificates the user (or the vendor's owner) owns that expire by ``until``.
    Portal: the open document requests of the user's organization, for portal reminders."""
    if principal_for(user).is_external:
        requests = selectors.open_requests(user=user).filter(due_on__lte=until)
        return [
            DueItem(
                title=f"Upload the {r.get_kind_display()}",
                due_on=r.due_on,
                url=r.get_absolute_url(),
                kind="document_request",
                detail="overdue" if r.due_on < today else "",
            )
            for r in requests.order_by("due_on", "pk")[:DUE_LIMIT]
        ]
    certifications = selectors.expiring_for_owner(user=user, today=today, until=until)
    return [
        DueItem(
            title=f"{c.get_kind_display()} of {c.supplier.relationship.organization} expires",
            due_on=c.expires_on,
            url=c.get_absolute_url(),
            kind="certificate_expiry",
            detail="expired" if c.expires_on < today else c.title,
        )
        for c in certifications.order_by("expires_on", "pk")[:DUE_LIMIT]
    ]


def certifications_search(user: Any, query: str, limit: int) -> list[SearchHit]:
    words = query.split()[:5]
    rows = selectors.certifications(user).filter(archived_at__isnull=True)
    for word in words:
        rows = rows.filter(Q(title__icontains=word) | Q(issuer__icontains=word))
    return [
        SearchHit(
            kind="certificate",
            title=c.title,
            url=c.get_absolute_url(),
            detail=f"{c.get_kind_display()} · expires {c.expires_on:%Y-%m-%d}",
        )
        for c in rows.order_by("expires_on", "pk")[:limit]
    ]


def _panel_context(user: Any, today: dt.date) -> dict[str, Any]:
    rows = list(selectors.expiring_certifications(user=user, today=today).order_by("expires_on"))
    expired = [c for c in rows if c.expires_on < today]
    expiring = [c for c in rows if c.expires_on >= today]
    return {
        "expired": expired[:PANEL_LIMIT],
        "expiring": expiring[:PANEL_LIMIT],
        "expired_count": len(expired),
        "expiring_count": len(expiring),
        "window": expiry.EXPIRING_WITHIN_DAYS,
        "today": today,
    }


def _vendor_context(user: Any, supplier: Any, today: dt.date) -> dict[str, Any]:
    certifications = list(selectors.vendor_certifications(user=user, supplier=supplier)[:30])
    return {
        "certifications": [(c, c.status_on(today)) for c in certifications],
        "audits": list(selectors.vendor_audits(user=user, supplier=supplier)[:20]),
        "supplier": supplier,
        "today": today,
    }


def _portal_context(user: Any) -> dict[str, Any]:
    requests = list(selectors.open_requests(user=user).order_by("due_on", "pk")[:20])
    return {"requests": [(r, FulfilForm(auto_id=f"id_req{r.pk}_%s")) for r in requests]}


def _portal_count(user: Any) -> int:
    return selectors.open_requests(user=user).count()


def expired_certificates(supplier_ids: Any, today: dt.date) -> Any:
    return selectors.expired_certificate_factors(supplier_ids, today)


def register() -> None:
    from steward.core.registry import (
        register_due,
        register_nav,
        register_portal_section,
        register_search,
    )
    from steward.risk.panels import (
        RiskPanel,
        VendorSection,
        register_dashboard_panel,
        register_risk_factor,
        register_vendor_section,
    )

    register_nav(
        NavEntry(
            "Compliance",
            "compliance:certification-list",
            "supply",
            order=58,
            match_prefix="/compliance/",
        )
    )
    register_due("certificates", expiring_due)
    register_search("certificates", certifications_search)
    register_risk_factor("expired certificates", expired_certificates)
    register_dashboard_panel(
        RiskPanel(
            name="certificates",
            title="Expiring and expired certificates",
            template="compliance/panels/_dashboard.html",
            context=_panel_context,
            order=40,
        )
    )
    register_vendor_section(
        VendorSection(
            name="compliance",
            title="Certificates and audits",
            template="compliance/panels/_vendor.html",
            context=_vendor_context,
            order=40,
        )
    )
    register_portal_section(
        PortalSection(
            name="documents",
            title="Documents to upload or renew",
            template="compliance/panels/_portal.html",
            context=_portal_context,
            count=_portal_count,
            order=20,
        )
    )

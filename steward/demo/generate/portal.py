"""The portal's demo data: an open invitation of a vendor contact who has no account yet.

Its link is random and was never shown, so nobody can use it; the vendor's portal tab shows it as
open, ready to resend (which mails a fresh link) or revoke.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings

from steward.core.services import create_record
from steward.demo.generate.context import DemoContext
from steward.portal.models import Invitation, hash_token
from steward.suppliers.models import Supplier


def create_portal(ctx: DemoContext) -> None:
    portal_contacts = {contact.pk for contact in ctx.portal_contacts}
    taken = {contact.email.lower() for contact in ctx.portal_contacts}
    vendors = Supplier.objects.filter(
        relationship__organization__in=ctx.portal_organizations
    ).select_related("relationship__organization", "relationship__owner")
    for vendor in vendors.order_by("pk"):
        organization = vendor.relationship.organization
        contact = next(
            (
                c
                for c in ctx.contacts
                if c.organization_id == organization.pk
                and c.email
                and c.pk not in portal_contacts
                and c.email.lower() not in taken
            ),
            None,
        )
        if contact is None:
            continue
        create_record(
            Invitation(
                supplier=vendor,
                organization=organization,
                contact=contact,
                email=contact.email,
                first_name=contact.first_name,
                last_name=contact.last_name,
                invited_by=vendor.relationship.owner,
                expires_at=ctx.now + dt.timedelta(days=settings.STEWARD_PORTAL_INVITATION_DAYS),
                token_hash=hash_token(secrets.token_urlsafe(32)),
            ),
            actor=vendor.relationship.owner,
            reason="Invited",
        )
        ctx.counts["portal invitations"] += 1
        return

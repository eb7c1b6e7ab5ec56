"""Compliance: certificates with their expiry, a request to a vendor's portal, audits.

Runs after the vendors, the portal users and the risk step. Every write goes through the
compliance services at a moment of the story (``story_clock``):

- the first vendor holds an ISO 27001 certificate and a **SOC 2 Type II report expiring next
  month**, renewed once already (last year's report is superseded), and a signed DPA;
- the second holds an **expired insurance certificate** (lapsed three weeks ago) and a tax form;
- a vendor with portal users has an **open request** to upload its current insurance
  certificate, due in two weeks;
- the first vendor was audited on site two months ago: the audit raised a finding whose
  corrective action was taken, the finding is closed and the audit **closed**; a remote audit
  of the second vendor is **planned** for next month.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.compliance import services
from steward.compliance.choices import AuditKind, AuditStatus, CertificationKind
from steward.demo.generate.context import DemoContext
from steward.demo.generate.contract_story import story_clock
from steward.demo.generate.vendor_plan import at_hour
from steward.risk.choices import FindingSeverity, FindingStatus
from steward.risk.services import finding_transition
from steward.suppliers.models import Supplier

ISSUERS = ("Northbridge Assurance LLP", "Calder Certification GmbH", "Meridian Audit Services")


def _pdf(name: str, title: str) -> SimpleUploadedFile:
    body = f"%PDF-1.4\n% {title}\n%%EOF\n".encode()
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def create_compliance(ctx: DemoContext) -> None:
    vendors = list(
        Supplier.objects.filter(archived_at__isnull=True)
        .select_related("relationship__organization", "relationship__owner")
        .order_by("pk")[:6]
    )
    if len(vendors) < 2:
        return
    story = _Compliance(ctx)
    first, second = vendors[0], vendors[1]
    story.certificates_of_first(first)
    story.certificates_of_second(second)
    for supplier in vendors[2:]:
        story.current_iso(supplier)
    story.open_request(story.vendor_with_portal_users(ctx, vendors) or second)
    story.completed_audit(first)
    story.planned_audit(second)


class _Compliance:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.today = ctx.today
        self.secops = (ctx.users.get("reviewer_it_security") or ctx.users["admin"])[0]

    def moment(self, days_ago: int, hour: int = 10) -> dt.datetime:
        day = self.today - dt.timedelta(days=days_ago)
        return min(at_hour(day, hour), self.ctx.now - dt.timedelta(hours=1))

    def after(self, record: Any, days_ago: int, hour: int = 10) -> dt.datetime:
        """The story's moment, but never before ``record`` was entered."""
        latest = self.ctx.now - dt.timedelta(minutes=30)
        return min(
            max(self.moment(days_ago, hour), record.created_at + dt.timedelta(hours=1)), latest
        )

    def add(
        self, supplier: Supplier, kind: str, title: str, *, effective: dt.date, expires: dt.date
    ) -> Any:
        with story_clock(self.after(supplier, max((self.today - effective).days, 1))):
            certification = services.certification_add(
                actor=supplier.relationship.owner,
                supplier=supplier,
                kind=kind,
                title=title,
                issuer=ISSUERS[supplier.pk % len(ISSUERS)],
                effective_on=effective,
                expires_on=expires,
                upload=_pdf(f"{kind}.pdf", title),
            )
        self.ctx.counts["certifications"] += 1
        return certification

    def certificates_of_first(self, supplier: Supplier) -> None:
        name = supplier.relationship.organization.display_name
        expires = (self.today + relativedelta(months=1)).replace(day=20)
        last_year = self.add(
            supplier,
            CertificationKind.SOC2_TYPE2,
            f"{name} SOC 2 Type II report",
            effective=expires - relativedelta(years=2),
            expires=expires - relativedelta(years=1),
        )
        renewed_on = expires - relativedelta(years=1)
        with story_clock(self.after(last_year, max((self.today - renewed_on).days, 1), 15)):
            services.certification_renew(
                actor=supplier.relationship.owner,
                certification=last_year,
                effective_on=renewed_on,
                expires_on=expires,
                upload=_pdf("soc2-type2.pdf", f"{name} SOC 2 Type II report"),
            )
        self.ctx.counts["certifications"] += 1
        self.add(
            supplier,
            CertificationKind.ISO_27001,
            f"{name} ISO/IEC 27001 certificate",
            effective=self.today - dt.timedelta(days=400),
            expires=self.today + dt.timedelta(days=700),
        )
        self.add(
            supplier,
            CertificationKind.DPA,
            f"Data processing agreement with {name}",
            effective=self.today - dt.timedelta(days=200),
            expires=self.today + dt.timedelta(days=900),
        )

    def certificates_of_second(self, supplier: Supplier) -> None:
        name = supplier.relationship.organization.display_name
        self.add(
            supplier,
            CertificationKind.INSURANCE,
            f"{name} liability insurance certificate",
            effective=self.today - dt.timedelta(days=386),
            expires=self.today - dt.timedelta(days=21),
        )
        self.add(
            supplier,
            CertificationKind.TAX_FORM,
            f"{name} tax residency form",
            effective=self.today - dt.timedelta(days=90),
            expires=self.today + dt.timedelta(days=1000),
        )

    def current_iso(self, supplier: Supplier) -> None:
        self.add(
            supplier,
            CertificationKind.ISO_27001,
            f"{supplier.relationship.organization.display_name} ISO/IEC 27001 certificate",
            effective=self.today - dt.timedelta(days=100 + supplier.pk % 200),
            expires=self.today + dt.timedelta(days=300 + supplier.pk % 400),
        )

    @staticmethod
    def vendor_with_portal_users(ctx: DemoContext, vendors: list[Supplier]) -> Supplier | None:
        organizations = {user.profile.organization_id for user in ctx.users.get("portal", [])}
        with_portal = Supplier.objects.filter(
            relationship__organization_id__in=organizations, archived_at__isnull=True
        ).select_related("relationship__owner", "relationship__organization")
        return with_portal.order_by("pk").first()

    def open_request(self, supplier: Supplier) -> None:
        with story_clock(self.moment(3, 11)):
            services.document_request_create(
                actor=supplier.relationship.owner,
                supplier=supplier,
                kind=CertificationKind.INSURANCE,
                due_on=self.today + dt.timedelta(days=14),
                note="Please upload your current certificate of liability insurance.",
            )
        self.ctx.counts["document requests"] += 1

    def completed_audit(self, supplier: Supplier) -> None:
        owner = supplier.relationship.owner
        with story_clock(self.moment(90, 9)):
            audit = services.audit_plan(
                actor=owner,
                supplier=supplier,
                title=f"On-site security audit of {supplier.relationship.organization}",
                kind=AuditKind.ON_SITE,
                planned_on=self.today - dt.timedelta(days=60),
                scope="Physical and logical access controls at the hosting site.",
                lead_auditor=self.secops,
                auditors=[owner],
            )
        with story_clock(self.moment(60, 9)):
            audit = services.audit_transition(
                actor=self.secops, audit=audit, to_status=AuditStatus.IN_PROGRESS
            )
            services.audit_evidence_add(
                actor=self.secops, audit=audit, upload=_pdf("visitor-log.pdf", "Visitor log")
            )
            finding = services.audit_finding_raise(
                actor=self.secops,
                audit=audit,
                title="Visitor log not reconciled with badge records",
                severity=FindingSeverity.MEDIUM,
                corrective_action="Reconcile the visitor log with badge records every week.",
                remediation_due_on=self.today - dt.timedelta(days=20),
            )
        with story_clock(self.moment(55, 16)):
            audit = services.audit_transition(
                actor=self.secops,
                audit=audit,
                to_status=AuditStatus.REPORT_ISSUED,
                report_summary="Controls largely effective; one medium finding on visitor logs.",
            )
        with story_clock(self.moment(25, 11)):
            finding_transition(
                actor=self.secops,
                finding=finding,
                to_status=FindingStatus.CLOSED,
                note="Weekly reconciliation evidenced for four weeks.",
            )
        with story_clock(self.moment(24, 10)):
            services.audit_transition(actor=self.secops, audit=audit, to_status=AuditStatus.CLOSED)
        self.ctx.counts["audits"] += 1

    def planned_audit(self, supplier: Supplier) -> None:
        with story_clock(self.moment(5, 10)):
            services.audit_plan(
                actor=supplier.relationship.owner,
                supplier=supplier,
                title=f"Remote review of {supplier.relationship.organization}",
                kind=AuditKind.REMOTE,
                planned_on=self.today + dt.timedelta(days=30),
                scope="Review of the renewed insurance and the data processing terms.",
                lead_auditor=self.secops,
            )
        self.ctx.counts["audits"] += 1

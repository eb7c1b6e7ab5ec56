"""Third-party risk: every vendor's tiering, registers spread over the heat map, findings, and
fourth parties.

- every vendor in the plan gets a tiering intake that fits its place on the portfolio (its
  criticality and sole sourcing carry over) and an assessment date;
- the vendor with the largest annual spend handles special categories of personal data: tier 1,
  reassessed every 12 months, last assessed 14 months ago, so its **reassessment is overdue**;
- the running vendors get one to three risks each, their residual scores spread over the heat
  map from low to critical, each entered by the vendor's owner;
- a few findings from other reviews, one past its remediation date;
- fourth parties: a cloud provider that **several vendors depend on**, one of them only through
  its payroll provider (a tree), so concentration sees through to it;
- the category the spend step concentrated on one vendor gets a concentration risk in that
  vendor's register (the dashboard computes the concentration itself from the ledger).

Writes go through the risk services at a story moment, so history names who did what and when.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from dateutil.relativedelta import relativedelta

from steward.demo.generate.context import DemoContext, DemoLogin
from steward.demo.generate.contract_story import story_clock
from steward.demo.generate.vendor_plan import at_hour
from steward.parties.choices import Side
from steward.parties.models import Organization
from steward.risk import services
from steward.risk.choices import RiskCategory
from steward.risk.models import RiskProfile
from steward.spend import analytics
from steward.spend.analytics.period import Period
from steward.spend.scope import SpendScope
from steward.suppliers.choices import Stage
from steward.suppliers.models import Supplier

RUNNING = (Stage.ONBOARDING, Stage.ACTIVE, Stage.UNDER_REVIEW)
OVERDUE_BY_MONTHS = 2  # the tier-1 vendor was last assessed 12 + 2 months ago
EVERYTHING = SpendScope(supplier_ids=None, cost_centers=True)

# (category, title, inherent likelihood, impact, residual likelihood, impact, treatment): the
# residual scores run from 2 (low) to 20 (critical), so the heat map has every band.
REGISTER = (
    (RiskCategory.CYBERSECURITY, "Shared administrator accounts", 4, 5, 4, 5, "mitigate"),
    (RiskCategory.OPERATIONAL, "Single data centre for the service", 3, 5, 3, 4, "mitigate"),
    (RiskCategory.PRIVACY, "Personal data copied to test systems", 4, 4, 3, 3, "mitigate"),
    (RiskCategory.FINANCIAL, "Thin margins after the price cut", 3, 4, 2, 4, "accept"),
    (RiskCategory.COMPLIANCE, "Export licences renewed late", 3, 3, 2, 3, "mitigate"),
    (RiskCategory.GEOPOLITICAL, "Production in one region", 2, 5, 2, 5, "transfer"),
    (RiskCategory.ESG, "Supplier code of conduct not signed", 2, 3, 1, 3, "mitigate"),
    (RiskCategory.OPERATIONAL, "Key engineer leaving", 3, 3, 1, 2, "accept"),
)
FINDINGS = (
    ("No multi-factor sign-in for the support portal", "high", 30),
    ("Backups not tested in the last year", "medium", -10),  # already past its date
    ("Sub-processor list out of date", "low", 45),
)


def create_risk(ctx: DemoContext) -> None:
    """Tiering, registers, findings and fourth parties for the vendors in the plan."""
    plans = [plan for plan in ctx.vendors if plan.supplier is not None]
    if not plans:
        return
    _Risk(ctx, plans).run()


class _Risk:
    def __init__(self, ctx: DemoContext, plans: list[Any]) -> None:
        self.ctx = ctx
        self.rng: random.Random = ctx.rng("risk")
        self.plans = plans
        pool = ctx.users.get("reviewer_it_security") or ctx.users["admin"]
        self.security = pool[0]

    def at(self, days_ago: int) -> Any:
        moment = at_hour(self.ctx.today - dt.timedelta(days=days_ago), 10)
        return story_clock(min(moment, self.ctx.now - dt.timedelta(hours=1)))

    def run(self) -> None:
        vendors = [
            Supplier.objects.select_related("relationship").get(pk=plan.supplier.pk)
            for plan in self.plans
        ]
        critical = max(vendors, key=lambda v: (v.annual_spend or 0, -v.pk))
        for vendor in vendors:
            self.tier(vendor, critical=vendor.pk == critical.pk)
        running = [v for v in vendors if v.stage in RUNNING]
        self.registers(running, critical)
        self.findings(running, critical)
        self.fourth_parties(running)
        self.concentration()

    def tier(self, vendor: Supplier, *, critical: bool) -> None:
        owner = vendor.relationship.owner
        intake: dict[str, Any]
        if critical:
            intake = {
                "data_handled": "special",
                "system_access": "privileged",
                "business_criticality": 5,
                "substitutability": "hard",
                "regulatory_exposure": "high",
            }
        else:
            criticality = vendor.criticality or self.rng.randint(1, 4)
            intake = {
                "data_handled": self.rng.choice(
                    ["none", "internal", "internal", "confidential", "personal"]
                ),
                "system_access": self.rng.choice(["none", "none", "user", "privileged"]),
                "business_criticality": criticality,
                "substitutability": "none"
                if vendor.alternatives == 0
                else self.rng.choice(["easy", "moderate", "hard"]),
                "regulatory_exposure": self.rng.choice(["none", "none", "some", "high"]),
            }
        with self.at(400):
            services.risk_profile_save(actor=owner, supplier=vendor, **intake)
        profile = RiskProfile.objects.get(pk=vendor.pk)
        if critical:
            months = profile.policy.reassess_months + OVERDUE_BY_MONTHS
            assessed = self.ctx.today - relativedelta(months=months)
        else:
            assessed = self.ctx.today - dt.timedelta(days=self.rng.randint(30, 500))
        with self.at((self.ctx.today - assessed).days):
            services.risk_profile_mark_assessed(
                actor=self.security, supplier=vendor, assessed_on=assessed
            )

    def registers(self, running: list[Supplier], critical: Supplier) -> None:
        chosen = [critical, *[v for v in running if v.pk != critical.pk]]
        entries = list(REGISTER)
        for index, vendor in enumerate(chosen[: max(3, len(chosen) // 2)]):
            count = len(REGISTER) if index == 0 else self.rng.randint(1, 3)
            picks = entries if index == 0 else self.rng.sample(entries, count)
            for category, title, il, ii, rl, ri, treatment in picks:
                with self.at(self.rng.randint(20, 300)):
                    services.risk_create(
                        actor=vendor.relationship.owner,
                        relationship=vendor.relationship,
                        category=category,
                        title=title,
                        inherent_likelihood=il,
                        inherent_impact=ii,
                        residual_likelihood=rl,
                        residual_impact=ri,
                        treatment=treatment,
                        controls="Reviewed with the vendor at the last business review.",
                        treatment_plan="Agreed actions tracked on the vendor's plan.",
                        review_on=self.ctx.today + dt.timedelta(days=self.rng.randint(-20, 120)),
                    )

    def findings(self, running: list[Supplier], critical: Supplier) -> None:
        for vendor in [critical, *[v for v in running if v.pk != critical.pk][:2]]:
            for title, severity, due_in in FINDINGS:
                with self.at(60):
                    services.finding_open(
                        actor=self.security,
                        supplier=vendor,
                        source="other",
                        title=title,
                        severity=severity,
                        owner=vendor.relationship.owner,
                        remediation_due_on=self.ctx.today + dt.timedelta(days=due_in),
                        origin="Annual security review",
                    )

    def fourth_parties(self, running: list[Supplier]) -> None:
        if len(running) < 3:
            return
        # Fourth parties are organizations of the directory that are not our vendors (a cloud
        # host, a payroll provider, a network carrier), so the demo keeps its size.
        others = list(
            Organization.objects.filter(archived_at__isnull=True)
            .exclude(relationships__side=Side.SUPPLY)
            .order_by("pk")[:3]
        )
        if len(others) < 3:
            return
        cloud, payroll, network = others
        first, second, third = running[:3]
        with self.at(150):
            add = services.subcontractor_add
            add(
                actor=self.security,
                supplier=first,
                organization=cloud,
                service="Hosting of the service",
                criticality=5,
                handles_our_data=True,
            )
            add(
                actor=self.security,
                supplier=first,
                organization=network,
                service="Wide-area network",
                criticality=3,
            )
            add(
                actor=self.security,
                supplier=second,
                organization=cloud,
                service="Data warehouse",
                criticality=4,
                handles_our_data=True,
            )
            under = add(
                actor=self.security,
                supplier=third,
                organization=payroll,
                service="Payroll of the contractors",
                criticality=2,
                handles_our_data=True,
            )
            add(
                actor=self.security,
                supplier=third,
                organization=cloud,
                service="Payroll platform hosting",
                parent=under,
                criticality=4,
                handles_our_data=True,
            )

    def concentration(self) -> None:
        rows = analytics.concentration(EVERYTHING, Period.last_12_months(self.ctx.today))
        if not rows:
            return
        top = max(rows, key=lambda row: (row.top_share, row.amount_cents))
        vendor = Supplier.objects.select_related("relationship").get(pk=top.top_supplier_id)
        with self.at(30):
            services.risk_create(
                actor=vendor.relationship.owner,
                relationship=vendor.relationship,
                category=RiskCategory.CONCENTRATION,
                title=f"Holds {top.top_share} % of a category's spend",
                inherent_likelihood=3,
                inherent_impact=4,
                residual_likelihood=3,
                residual_impact=3,
                treatment="mitigate",
                treatment_plan="Qualify a second source for the category.",
            )


def describe_logins(ctx: DemoContext) -> None:
    """IT security signs in to the risk work; the portal user finds what their vendor owes."""
    ctx.logins = [
        DemoLogin(
            login.role,
            login.username,
            login.sees + "; the assessments, document requests and findings shared with them",
        )
        if login.username == "portal"
        else login
        for login in ctx.logins
    ]
    security = ctx.users.get("reviewer_it_security")
    if security:
        ctx.logins.append(
            DemoLogin(
                "IT security",
                security[0].username,
                "every vendor's risk (/risk/): a tier-1 vendor overdue for reassessment, an "
                "expiring SOC 2, an assessment submitted for review, findings to track",
            )
        )

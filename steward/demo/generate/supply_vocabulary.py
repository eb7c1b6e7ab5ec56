"""Words of the supply-side story: categories, reasons, strategies, initiatives and meetings."""

from __future__ import annotations

from dataclasses import dataclass

from steward.parties.choices import Industry
from steward.plans.choices import InitiativeKind
from steward.reviews.choices import ActivityKind
from steward.suppliers.choices import ChecklistItemCode, KpiDirection, LeverKind, Segment, Stage


@dataclass(frozen=True)
class CategoryNode:
    code: str
    name: str
    parent: str  # code of the parent, '' at the top
    description: str = ""


CATEGORY_TREE: tuple[CategoryNode, ...] = (
    CategoryNode("it", "IT", "", "Hardware, software and services for our own IT."),
    CategoryNode("cloud-hosting", "Cloud hosting", "it", "IaaS, PaaS and managed hosting."),
    CategoryNode("software-licences", "Software licences", "it", "Licences and subscriptions."),
    CategoryNode("it-services", "IT services", "it", "Managed services, security, service desk."),
    CategoryNode("telecom", "Telecommunications", "it", "Mobile, WAN links and telephony."),
    CategoryNode("facilities", "Facilities", "", "Running our offices, plants and warehouses."),
    CategoryNode("facility-management", "Facility management", "facilities"),
    CategoryNode("catering", "Catering", "facilities", "Canteens and vending."),
    CategoryNode("construction", "Construction and maintenance", "facilities"),
    CategoryNode("energy", "Energy and utilities", "facilities", "Electricity, gas and water."),
    CategoryNode("logistics", "Logistics", "", "Moving and storing goods."),
    CategoryNode("freight", "Freight", "logistics", "Inbound and outbound road and sea freight."),
    CategoryNode("warehousing", "Warehousing", "logistics"),
    CategoryNode("parcel", "Parcel and express", "logistics"),
    CategoryNode("raw-materials", "Raw materials", "", "What goes into our products."),
    CategoryNode("metals", "Metals", "raw-materials", "Steel, aluminium and titanium."),
    CategoryNode("chemicals", "Chemicals and polymers", "raw-materials"),
    CategoryNode("components", "Components", "raw-materials", "Machined parts and modules."),
    CategoryNode("electronics", "Electronics", "raw-materials", "Sensors, boards, harnesses."),
    CategoryNode("professional-services", "Professional services", ""),
    CategoryNode("consulting", "Consulting", "professional-services"),
    CategoryNode("legal-audit", "Legal and audit", "professional-services"),
    CategoryNode("insurance-finance", "Insurance and financial services", "professional-services"),
    CategoryNode("marketing", "Marketing", "", "Agencies, media and promotional goods."),
    CategoryNode("agencies", "Agencies and media", "marketing"),
    CategoryNode("promotional", "Packaging and promotional goods", "marketing"),
    CategoryNode("mro", "MRO and office supplies", "", "Maintenance, repair, operations."),
)

# What a vendor of each industry is bought for (leaf category codes).
INDUSTRY_CATEGORIES: dict[str, tuple[str, ...]] = {
    Industry.AEROSPACE: ("metals", "components"),
    Industry.AUTOMOTIVE: ("components", "electronics"),
    Industry.CHEMICALS: ("chemicals",),
    Industry.CONSTRUCTION: ("construction", "facility-management"),
    Industry.CONSUMER_GOODS: ("promotional",),
    Industry.ENERGY: ("energy",),
    Industry.FINANCIAL_SERVICES: ("insurance-finance",),
    Industry.FOOD: ("catering",),
    Industry.HEALTHCARE: ("consulting", "mro"),
    Industry.INDUSTRIAL: ("components", "metals", "mro"),
    Industry.LOGISTICS: ("freight", "warehousing", "parcel"),
    Industry.MEDIA: ("telecom", "agencies"),
    Industry.PROFESSIONAL_SERVICES: ("consulting", "legal-audit"),
    Industry.PUBLIC_SECTOR: ("energy",),
    Industry.RETAIL: ("mro", "promotional"),
    Industry.SOFTWARE: ("cloud-hosting", "software-licences", "it-services"),
    Industry.OTHER: ("facility-management", "mro"),
}

CHECKLIST_NOTES: dict[str, tuple[str, ...]] = {
    ChecklistItemCode.DOCUMENTS_RECEIVED: (
        "Trade register extract, tax certificate and insurance certificate filed.",
        "Supplier questionnaire and code of conduct signed.",
    ),
    ChecklistItemCode.SECURITY_REVIEW_DONE: (
        "ISO 27001 certificate and penetration test summary reviewed.",
        "Security questionnaire answered; no open findings.",
    ),
    ChecklistItemCode.BANK_DETAILS_VERIFIED: (
        "Verified by call-back to the number on file.",
        "Bank letter received and checked by accounts payable.",
    ),
    ChecklistItemCode.CONTRACT_SIGNED: (
        "Frame agreement signed by both parties; filed in the contract repository.",
        "Master services agreement signed.",
    ),
}

# Why a vendor moved from one stage to another.
TRANSITION_REASONS: dict[tuple[str, str], tuple[str, ...]] = {
    (Stage.PROSPECT, Stage.QUALIFICATION): (
        "Shortlisted after the RFI; start qualification.",
        "Requested by operations as a second source.",
        "Invited to the upcoming tender; qualify first.",
    ),
    (Stage.QUALIFICATION, Stage.ONBOARDING): (
        "Documents and security review complete.",
        "Passed the supplier audit.",
    ),
    (Stage.ONBOARDING, Stage.ACTIVE): (
        "Contract signed; first purchase order issued.",
        "Onboarding complete; vendor set up in the ERP.",
    ),
    (Stage.ACTIVE, Stage.UNDER_REVIEW): (
        "Repeated late deliveries: on-time delivery at 84% last quarter.",
        "Quality escalation: two 8D reports open.",
        "Price increase of 12% announced; reviewing alternatives.",
        "Findings in the annual ISO 27001 surveillance audit.",
    ),
    (Stage.UNDER_REVIEW, Stage.ACTIVE): (
        "Corrective action plan closed.",
        "Delivery performance above target for three months.",
    ),
    (Stage.ACTIVE, Stage.EXITING): (
        "Consolidating the category with fewer vendors.",
        "Replaced after the re-tender.",
        "Vendor acquired by a competitor; moving volumes away.",
    ),
    (Stage.UNDER_REVIEW, Stage.EXITING): (
        "Corrective actions failed; phasing out.",
        "Review concluded: move the volumes to the second source.",
    ),
    (Stage.EXITING, Stage.OFFBOARDED): ("Last orders delivered; contract ended.",),
    (Stage.PROSPECT, Stage.OFFBOARDED): ("Not pursued: no budget this year.",),
    (Stage.QUALIFICATION, Stage.OFFBOARDED): (
        "Failed the security review.",
        "Could not provide audited financial statements.",
    ),
    (Stage.ONBOARDING, Stage.OFFBOARDED): ("Contract terms could not be agreed.",),
}

OVERRIDE_REASONS: dict[str, tuple[str, ...]] = {
    Segment.STRATEGIC: (
        (
            "Sole qualified source of the module for our next product generation; spend triples "
            "at launch, which the data does not show yet."
        ),
    ),
    Segment.BOTTLENECK: (
        (
            "Spend looks large only because of a one-off project; the running business is small "
            "but hard to replace."
        ),
    ),
    Segment.NON_CRITICAL: ("Second source is qualified and ready; the risk inputs predate it.",),
    Segment.LEVERAGE: ("Three new entrants in the market since the last assessment.",),
}

# A history reason holds at most 100 characters.
MOVED_REASON = "Two competitors left the market; one qualified alternative remains."
OVERRIDE_STORY_REASON = OVERRIDE_REASONS[Segment.STRATEGIC][0]

# --- strategies ----------------------------------------------------------------------------------

FAMILY_OF_ROOT = {
    "it": "it",
    "logistics": "logistics",
    "raw-materials": "materials",
    "facilities": "services",
    "professional-services": "services",
    "marketing": "services",
    "mro": "services",
}

STRATEGY_OBJECTIVES: dict[str, tuple[str, ...]] = {
    "it": (
        (
            "Move the remaining on-premise workloads to their platform by year end and cut "
            "hosting cost per workload by 15%."
        ),
        "Build a joint security roadmap; quarterly architecture reviews with their CTO office.",
    ),
    "logistics": (
        "Secure peak-season capacity three months ahead and lower cost per shipment by 5%.",
        "Halve CO2 per shipment by 2030 with a joint fleet electrification plan.",
    ),
    "materials": (
        "Secure supply for the next product generation with a three-year capacity agreement.",
        "Develop joint cost-down ideas worth 4% a year; co-design the next module.",
    ),
    "services": (
        "One frame agreement for all sites with service levels measured monthly.",
        "Bring innovation proposals to every quarterly review.",
    ),
}

STRATEGY_EXPECTATIONS: dict[str, str] = {
    "it": "Availability of 99.9% or better, incident response within four hours, shared roadmap.",
    "logistics": "On-time delivery of 97%, visibility of every shipment, early warning of "
    "capacity shortages.",
    "materials": "Quality below 150 ppm, on-time delivery of 97%, open-book cost breakdowns.",
    "services": "Monthly service reports, named account team, invoices right first time.",
}

RACI_TEMPLATE: dict[str, dict[str, str]] = {
    "Business review": {"procurement": "A", "operations": "R", "finance": "C", "legal": "I"},
    "Contract renewal": {"procurement": "R", "legal": "C", "finance": "A"},
    "Escalations": {"procurement": "A", "operations": "R", "it_security": "C"},
}


@dataclass(frozen=True)
class KpiSpec:
    name: str
    unit: str
    low: float  # the target is drawn between low and high
    high: float
    direction: str


KPIS: dict[str, tuple[KpiSpec, ...]] = {
    "it": (
        KpiSpec("Service availability", "%", 99.5, 99.95, KpiDirection.HIGHER_IS_BETTER),
        KpiSpec("Priority-1 incident resolution", "hours", 2, 8, KpiDirection.LOWER_IS_BETTER),
        KpiSpec("Cost per workload vs. last year", "%", -15, -5, KpiDirection.LOWER_IS_BETTER),
        KpiSpec("Invoice accuracy", "%", 98, 99.5, KpiDirection.HIGHER_IS_BETTER),
    ),
    "logistics": (
        KpiSpec("On-time delivery", "%", 95, 98, KpiDirection.HIGHER_IS_BETTER),
        KpiSpec("Damaged shipments", "%", 0.1, 0.5, KpiDirection.LOWER_IS_BETTER),
        KpiSpec("CO2 per shipment", "kg", 8, 15, KpiDirection.LOWER_IS_BETTER),
        KpiSpec("Cost per shipment vs. last year", "%", -6, -2, KpiDirection.LOWER_IS_BETTER),
    ),
    "materials": (
        KpiSpec("On-time delivery", "%", 95, 98, KpiDirection.HIGHER_IS_BETTER),
        KpiSpec("Quality defects", "ppm", 50, 200, KpiDirection.LOWER_IS_BETTER),
        KpiSpec("Cost reduction vs. last year", "%", 2, 5, KpiDirection.HIGHER_IS_BETTER),
        KpiSpec("Innovation proposals per year", "", 2, 6, KpiDirection.HIGHER_IS_BETTER),
    ),
    "services": (
        KpiSpec("Service level met", "%", 95, 99, KpiDirection.HIGHER_IS_BETTER),
        KpiSpec("Invoice accuracy", "%", 98, 99.5, KpiDirection.HIGHER_IS_BETTER),
        KpiSpec("Customer satisfaction", "points", 7.5, 9, KpiDirection.HIGHER_IS_BETTER),
    ),
}

LEVERS: tuple[tuple[str, str], ...] = (
    (LeverKind.VOLUME_COMMITMENT, "Commit 80% of next year's volume in exchange for a price cut."),
    (LeverKind.LONGER_TERM, "Offer a three-year term instead of one for capacity guarantees."),
    (LeverKind.CONSOLIDATION, "Bundle the spend of all sites into one frame agreement."),
    (LeverKind.PAYMENT_TERMS, "Move from 30 to 60 days' payment in exchange for faster ramp-up."),
    (LeverKind.MINIMUM_ORDER_LEVEL, "Lower the minimum order level for spare parts."),
)

# --- initiatives ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class InitiativeSpec:
    kind: str
    title: str  # may name {category}
    milestones: tuple[str, ...]


INITIATIVES: dict[str, tuple[InitiativeSpec, ...]] = {
    Segment.STRATEGIC: (
        InitiativeSpec(
            InitiativeKind.JOINT_INNOVATION,
            "Joint innovation program: next-generation {category}",
            ("Kick-off workshop", "Concept approved", "Prototype tested", "Go/no-go decision"),
        ),
        InitiativeSpec(
            InitiativeKind.INTEGRATION,
            "Connect ordering and forecasts to their planning system",
            ("Interface specified", "Test run with two sites", "All sites live"),
        ),
        InitiativeSpec(
            InitiativeKind.COST_DOWN,
            "Open-book cost review of {category}",
            ("Cost model agreed", "Savings ideas ranked", "Price agreement signed"),
        ),
        InitiativeSpec(
            InitiativeKind.RISK_REDUCTION,
            "Business continuity plan for {category}",
            ("Risk assessment done", "Safety stock agreed", "Continuity test passed"),
        ),
    ),
    Segment.LEVERAGE: (
        InitiativeSpec(
            InitiativeKind.SOURCING,
            "Re-tender {category}",
            ("Requirements signed off", "RFP sent", "Offers evaluated", "Award decision"),
        ),
        InitiativeSpec(
            InitiativeKind.COST_DOWN,
            "Volume bundling across sites for {category}",
            ("Spend analysis done", "Negotiation round", "New prices live"),
        ),
    ),
    Segment.BOTTLENECK: (
        InitiativeSpec(
            InitiativeKind.RISK_REDUCTION,
            "Qualify a second source for {category}",
            ("Candidates shortlisted", "Samples approved", "Second source released"),
        ),
        InitiativeSpec(
            InitiativeKind.RISK_REDUCTION,
            "Safety stock and allocation agreement for {category}",
            ("Consumption analysed", "Stock levels agreed", "Agreement signed"),
        ),
    ),
    Segment.NON_CRITICAL: (
        InitiativeSpec(
            InitiativeKind.IMPLEMENTATION,
            "Move {category} to the e-catalogue",
            ("Catalogue content loaded", "Purchase cards rolled out"),
        ),
    ),
}

INITIATIVE_DESCRIPTIONS = (
    "Agreed at the last business review; both sides named a lead.",
    "Part of this year's category strategy.",
    "Follows up on the findings of the supplier audit.",
)

# --- activities ----------------------------------------------------------------------------------

ACTIVITY_SUBJECTS: dict[str, tuple[str, ...]] = {
    ActivityKind.BUSINESS_REVIEW: ("Quarterly business review", "Annual business review"),
    ActivityKind.MEETING: (
        "Roadmap alignment",
        "Price negotiation",
        "Capacity planning for the peak season",
        "Escalation meeting on delivery delays",
    ),
    ActivityKind.CALL: ("Account call", "Forecast call", "Follow-up on open actions"),
    ActivityKind.SITE_VISIT: ("Visit to their plant", "Audit visit"),
    ActivityKind.EMAIL: ("Price list for next year received",),
}

ACTIVITY_SUMMARIES: dict[str, tuple[str, ...]] = {
    ActivityKind.BUSINESS_REVIEW: (
        (
            "Reviewed KPIs against targets: delivery on target, quality slightly below. Agreed "
            "two actions on quality and a cost-down workshop."
        ),
        "Scorecard discussed; they presented their roadmap. Next review in three months.",
    ),
    ActivityKind.MEETING: (
        "Agreed next steps and owners; minutes shared with the team.",
        "Open points clarified; they will come back with a revised offer.",
    ),
    ActivityKind.CALL: (
        "Short alignment; nothing to escalate.",
        "Forecast shared for the quarter.",
    ),
    ActivityKind.SITE_VISIT: (
        "Production line and quality lab visited; no findings.",
        "Walked the warehouse; capacity for the peak season confirmed.",
    ),
    ActivityKind.EMAIL: ("Prices up 3% on average; under review.",),
}

STAGE_ACTIVITIES: dict[str, tuple[str, str]] = {
    Stage.PROSPECT: (ActivityKind.CALL, "Introductory call"),
    Stage.QUALIFICATION: (ActivityKind.MEETING, "Qualification meeting"),
    Stage.ONBOARDING: (ActivityKind.MEETING, "Onboarding kick-off"),
    Stage.UNDER_REVIEW: (ActivityKind.MEETING, "Corrective action review"),
    Stage.EXITING: (ActivityKind.MEETING, "Exit plan meeting"),
    Stage.OFFBOARDED: (ActivityKind.MEETING, "Exit meeting"),
}

"""Word lists behind the demo data: countries and their legal forms, industries, job titles.

Plain data, so a reader can see at a glance what the generator can produce.
"""

from __future__ import annotations

from dataclasses import dataclass

from steward.parties.choices import Industry


@dataclass(frozen=True)
class CountryProfile:
    code: str
    locale: str  # the Faker locale for names, addresses and phone numbers
    weight: int
    legal_forms: tuple[str, ...]  # the first is the most common
    region: str  # the organization tag for the sales region
    tax_prefix: str
    tax_digits: int
    registration: str  # a format with {n} for the number


COUNTRIES: tuple[CountryProfile, ...] = (
    CountryProfile(
        "US", "en_US", 20, ("Inc.", "LLC", "Corp."), "americas", "", 9, "State file no. {n}"
    ),
    CountryProfile(
        "DE", "de_DE", 16, ("GmbH", "AG", "SE", "GmbH & Co. KG"), "emea", "DE", 9, "HRB {n}"
    ),
    CountryProfile("GB", "en_GB", 12, ("Ltd", "PLC"), "emea", "GB", 9, "Company No. {n}"),
    CountryProfile("FR", "fr_FR", 8, ("S.A.", "SAS", "SARL"), "emea", "FR", 11, "RCS {n}"),
    CountryProfile("NL", "nl_NL", 5, ("B.V.", "N.V."), "emea", "NL", 12, "KvK {n}"),
    CountryProfile("IT", "it_IT", 5, ("S.p.A.", "S.r.l."), "emea", "IT", 11, "REA {n}"),
    CountryProfile("ES", "es_ES", 5, ("S.A.", "S.L."), "emea", "ES", 9, "Registro Mercantil {n}"),
    CountryProfile("CH", "de_CH", 4, ("AG", "GmbH"), "emea", "CHE", 9, "CHE-{n}"),
    CountryProfile("SE", "sv_SE", 3, ("AB",), "emea", "SE", 12, "Org.nr {n}"),
    CountryProfile("PL", "pl_PL", 3, ("Sp. z o.o.", "S.A."), "emea", "PL", 10, "KRS {n}"),
    CountryProfile("AT", "de_AT", 2, ("GmbH", "AG"), "emea", "ATU", 8, "FN {n}"),
    CountryProfile("BE", "nl_BE", 2, ("NV", "BV"), "emea", "BE", 10, "KBO {n}"),
    CountryProfile("DK", "da_DK", 2, ("A/S", "ApS"), "emea", "DK", 8, "CVR {n}"),
    CountryProfile("IE", "en_IE", 2, ("Ltd", "DAC"), "emea", "IE", 8, "CRO {n}"),
    CountryProfile("FI", "fi_FI", 1, ("Oy", "Oyj"), "emea", "FI", 8, "Y-tunnus {n}"),
    CountryProfile("NO", "no_NO", 1, ("AS", "ASA"), "emea", "NO", 9, "Org.nr {n}"),
    CountryProfile("CZ", "cs_CZ", 1, ("s.r.o.", "a.s."), "emea", "CZ", 8, "IČO {n}"),
    CountryProfile("CA", "en_CA", 3, ("Inc.", "Ltd."), "americas", "", 9, "Corporation no. {n}"),
    CountryProfile("BR", "pt_BR", 2, ("Ltda.", "S.A."), "americas", "", 14, "NIRE {n}"),
    CountryProfile("MX", "es_MX", 2, ("S.A. de C.V.",), "americas", "", 12, "Folio mercantil {n}"),
    CountryProfile("AU", "en_AU", 2, ("Pty Ltd",), "apac", "", 11, "ACN {n}"),
    CountryProfile("IN", "en_IN", 3, ("Pvt. Ltd.", "Ltd."), "apac", "", 15, "CIN {n}"),
)

# Where our own people sit: their names come from these locales.
STAFF_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "nl_NL", "es_ES", "it_IT", "sv_SE")

# Weights follow a manufacturer's mix of vendors and customers.
INDUSTRY_WEIGHTS: dict[str, int] = {
    Industry.AEROSPACE: 3,
    Industry.AUTOMOTIVE: 8,
    Industry.CHEMICALS: 6,
    Industry.CONSTRUCTION: 5,
    Industry.CONSUMER_GOODS: 6,
    Industry.ENERGY: 5,
    Industry.FINANCIAL_SERVICES: 4,
    Industry.FOOD: 5,
    Industry.HEALTHCARE: 5,
    Industry.INDUSTRIAL: 12,
    Industry.LOGISTICS: 9,
    Industry.MEDIA: 4,
    Industry.PROFESSIONAL_SERVICES: 8,
    Industry.PUBLIC_SECTOR: 2,
    Industry.RETAIL: 6,
    Industry.SOFTWARE: 11,
    Industry.OTHER: 1,
}

INDUSTRY_NOUNS: dict[str, tuple[str, ...]] = {
    Industry.AEROSPACE: ("Aerospace", "Avionics", "Aerostructures", "Defence Systems"),
    Industry.AUTOMOTIVE: ("Automotive", "Drive Systems", "Motor Components", "Mobility"),
    Industry.CHEMICALS: ("Chemicals", "Coatings", "Polymers", "Specialty Chemicals"),
    Industry.CONSTRUCTION: ("Construction", "Building Systems", "Infrastructure", "Civil Works"),
    Industry.CONSUMER_GOODS: ("Consumer Products", "Home Care", "Brands", "Household Goods"),
    Industry.ENERGY: ("Energy", "Power", "Utilities", "Renewables"),
    Industry.FINANCIAL_SERVICES: ("Financial Services", "Capital", "Insurance", "Payments"),
    Industry.FOOD: ("Foods", "Beverages", "Dairy", "Ingredients"),
    Industry.HEALTHCARE: ("Pharma", "Medical", "Life Sciences", "Diagnostics"),
    Industry.INDUSTRIAL: ("Industries", "Precision Components", "Machinery", "Fluid Technology"),
    Industry.LOGISTICS: ("Logistics", "Freight", "Shipping", "Transport"),
    Industry.MEDIA: ("Media", "Telecom", "Networks", "Communications"),
    Industry.PROFESSIONAL_SERVICES: ("Consulting", "Advisory", "Partners", "Services"),
    Industry.PUBLIC_SECTOR: ("Transit Authority", "Municipal Services", "Water Board"),
    Industry.RETAIL: ("Retail", "Stores", "Wholesale", "Trading"),
    Industry.SOFTWARE: ("Software", "Systems", "Digital", "Cloud", "Technologies", "Data"),
    Industry.OTHER: ("Holdings", "Enterprises", "International"),
}

# What a vendor of the industry sells us.
OFFERINGS: dict[str, tuple[str, ...]] = {
    Industry.AEROSPACE: ("machined titanium parts", "avionics harnesses", "test services"),
    Industry.AUTOMOTIVE: ("drive-train components", "fleet vehicles", "sensor modules"),
    Industry.CHEMICALS: ("industrial coatings", "process solvents", "adhesives"),
    Industry.CONSTRUCTION: ("facility construction", "site maintenance", "steel structures"),
    Industry.CONSUMER_GOODS: ("packaging", "promotional goods", "workwear"),
    Industry.ENERGY: ("electricity supply", "gas supply", "solar installations"),
    Industry.FINANCIAL_SERVICES: ("trade finance", "payment processing", "insurance cover"),
    Industry.FOOD: ("canteen catering", "food ingredients", "vending services"),
    Industry.HEALTHCARE: ("occupational health services", "lab consumables", "medical devices"),
    Industry.INDUSTRIAL: ("machined components", "hydraulic assemblies", "spare parts"),
    Industry.LOGISTICS: ("inbound freight", "warehousing", "express parcel services"),
    Industry.MEDIA: ("mobile connectivity", "WAN links", "marketing services"),
    Industry.PROFESSIONAL_SERVICES: ("audit services", "engineering consultancy", "legal advice"),
    Industry.PUBLIC_SECTOR: ("public transport passes", "utility services", "permits"),
    Industry.RETAIL: ("office supplies", "MRO supplies", "retail shelf space"),
    Industry.SOFTWARE: ("ERP licences", "cloud hosting", "managed security services"),
    Industry.OTHER: ("general services", "facility services", "training"),
}

SUPPLY_SUMMARIES = (
    "Supplies {offering} to our sites in {region} under a multi-year frame agreement.",
    "Preferred partner for {offering}; this year's goal: {goal}.",
    "Single source for {offering}; a dual-sourcing study is under way.",
    "Provides {offering}; quarterly business reviews with their account team.",
    "Strategic supplier of {offering}; joint roadmap to {goal}.",
)
# What we, a manufacturer, sell to our accounts.
OUR_PRODUCTS = (
    "drive units",
    "automation systems",
    "spare parts and field service",
    "maintenance contracts",
    "sensor modules",
    "engineering services",
    "control cabinets",
)
SUPPLY_GOALS = (
    "reduce total cost of ownership by 5%",
    "raise on-time delivery to 98%",
    "renew the frame agreement on better terms",
    "cut lead times by two weeks",
    "complete the security assessment",
)
DEMAND_SUMMARIES = (
    "Buys {offering} for its sites in {region}; goal: {goal}.",
    "Long-standing customer for {offering}; expanding into new locations.",
    "Joint account plan in place; this year's goal: {goal}.",
    "New account handed over from business development; buys {offering}.",
    "Key account for {offering}; executive sponsor meets quarterly.",
)
DEMAND_GOALS = (
    "grow share of wallet by 10%",
    "win two new buying locations",
    "raise customer satisfaction to 8 out of 10",
    "renew the three-year agreement",
    "introduce our service contracts",
)

REGION_LABELS = {"emea": "Europe", "americas": "the Americas", "apac": "Asia-Pacific"}

SITE_LABELS = {
    "plant": "Plant",
    "office": "Office",
    "warehouse": "Warehouse",
    "data_center": "Data Center",
    "other": "Service Center",
}

SUPPLY_TAGS = ("preferred", "sole-source", "critical", "iso-27001", "dual-source-planned")
DEMAND_TAGS = ("expansion", "at-risk", "reference-customer", "renewal-due", "cross-sell")
ORGANIZATION_TAGS = ("family-owned", "listed", "diversity-supplier", "public-sector-framework")

# Contact role code -> job titles a contact with that primary role tends to hold.
CONTACT_TITLES: dict[str, tuple[str, ...]] = {
    "buyer": ("Senior Buyer", "Category Buyer", "Purchasing Manager"),
    "decision_maker": ("Chief Procurement Officer", "VP Operations", "Managing Director"),
    "executive_sponsor": ("Chief Executive Officer", "Chief Operating Officer", "CFO"),
    "influencer": ("Plant Manager", "Head of Engineering", "Operations Director"),
    "evaluator": ("Quality Engineer", "Solutions Architect", "Supplier Quality Lead"),
    "technical_contact": ("Technical Lead", "IT Manager", "Support Engineer"),
    "user": ("Operations Coordinator", "Team Lead", "Planner"),
    "finance_contact": ("Accounts Payable Lead", "Finance Manager", "Controller"),
    "legal_contact": ("General Counsel", "Legal Counsel", "Contract Manager"),
    "account_manager": ("Key Account Manager", "Customer Success Manager", "Sales Director"),
}
# How influential a contact with that primary role usually is (low, high) on the 1-5 scale.
CONTACT_INFLUENCE: dict[str, tuple[int, int]] = {
    "decision_maker": (4, 5),
    "executive_sponsor": (4, 5),
    "influencer": (3, 4),
    "buyer": (2, 4),
    "legal_contact": (2, 4),
    "finance_contact": (2, 3),
    "evaluator": (2, 3),
    "technical_contact": (1, 3),
    "account_manager": (2, 3),
    "user": (1, 2),
}
CONTACT_NOTES = (
    "Prefers a short agenda sent a day before every meeting.",
    "Met at the annual supplier day; open to a site visit.",
    "Reports to the board on supplier performance each quarter.",
    "Best reached by phone in the morning.",
    "New in the role since last quarter.",
)

# Coined company names: a start and an end syllable ("Norvex", "Brightline").
NAME_STARTS = (
    "Nor",
    "Vel",
    "Tri",
    "Alto",
    "Bright",
    "Cor",
    "Dyna",
    "Ever",
    "Flex",
    "Gran",
    "Hexa",
    "Inno",
    "Lumi",
    "Meri",
    "Nova",
    "Omni",
    "Pro",
    "Quanta",
    "Sol",
    "Terra",
    "Uni",
    "Vira",
)
NAME_ENDS = (
    "vex",
    "line",
    "tec",
    "core",
    "gate",
    "mark",
    "stone",
    "wave",
    "point",
    "field",
    "form",
    "lux",
    "path",
    "span",
    "tron",
    "ward",
    "via",
    "nova",
)

# Job titles of our own people, by pool.
STAFF_TITLES: dict[str, tuple[str, ...]] = {
    "admin": ("Steward Administrator", "Business Systems Manager"),
    "auditor": ("Internal Auditor", "Senior Internal Auditor"),
    "sales_director": ("Sales Director",),
    "sales_manager": ("Regional Sales Manager",),
    "account_manager": ("Key Account Manager", "Senior Account Manager", "Account Manager"),
    "procurement_head": ("Chief Procurement Officer",),
    "senior_vendor_manager": ("Senior Vendor Manager", "Lead Category Manager"),
    "vendor_manager": ("Vendor Manager", "Category Manager", "Supplier Relationship Manager"),
    "specialist": ("Implementation Specialist", "Service Delivery Specialist", "Analyst"),
    "reviewer_legal": ("Legal Counsel", "Contract Lawyer"),
    "reviewer_finance": ("Finance Business Partner", "Credit Controller"),
    "reviewer_it_security": ("IT Security Analyst", "Information Security Officer"),
    "reviewer_procurement": ("Procurement Specialist", "Sourcing Analyst"),
    "business_developer": ("Business Development Manager", "New Business Manager"),
}
SALES_REGIONS = ("EMEA", "Americas", "DACH", "Nordics", "UK & Ireland", "APAC", "Iberia")

"""Words and figures of the spend story: cost centers, GL accounts, line texts, card merchants'
categories, the two sources' column headers and the prices agreed in the story's contracts."""

from __future__ import annotations

from decimal import Decimal

# Our cost centers (code, name) and which of them buy from each top-level category.
COST_CENTERS: tuple[tuple[str, str], ...] = (
    ("CC-1000", "Executive office"),
    ("CC-1100", "Finance and controlling"),
    ("CC-1200", "Human resources"),
    ("CC-1300", "Legal and compliance"),
    ("CC-2000", "Corporate IT"),
    ("CC-2100", "IT infrastructure"),
    ("CC-3000", "Plant Hannover"),
    ("CC-3100", "Plant Lyon"),
    ("CC-4000", "Logistics and warehousing"),
    ("CC-5000", "Sales EMEA"),
    ("CC-5100", "Marketing"),
    ("CC-6000", "Facilities"),
    ("CC-7000", "Research and development"),
)
COST_CENTERS_BY_TOP: dict[str, tuple[str, ...]] = {
    "it": ("CC-2000", "CC-2100", "CC-2100", "CC-7000"),
    "facilities": ("CC-6000", "CC-6000", "CC-3000", "CC-3100"),
    "logistics": ("CC-4000", "CC-4000", "CC-3000", "CC-3100"),
    "raw-materials": ("CC-3000", "CC-3100", "CC-3000", "CC-7000"),
    "professional-services": ("CC-1000", "CC-1100", "CC-1300", "CC-1200"),
    "marketing": ("CC-5100", "CC-5100", "CC-5000"),
    "mro": ("CC-3000", "CC-3100", "CC-6000", "CC-4000", "CC-7000", "CC-1200"),
}

# The GL account each category is booked to (the ERP's chart of accounts).
GL_ACCOUNTS: dict[str, str] = {
    "cloud-hosting": "615100",
    "software-licences": "615200",
    "it-services": "615000",
    "telecom": "616000",
    "facility-management": "620000",
    "catering": "621000",
    "construction": "622000",
    "energy": "623000",
    "freight": "630000",
    "warehousing": "631000",
    "parcel": "632000",
    "metals": "500100",
    "chemicals": "500200",
    "components": "500300",
    "electronics": "500400",
    "consulting": "650000",
    "legal-audit": "651000",
    "insurance-finance": "652000",
    "agencies": "660000",
    "promotional": "661000",
    "mro": "640000",
}
OTHER_GL_ACCOUNT = "699000"

# What an invoice line of each category says.
LINE_TEXTS: dict[str, tuple[str, ...]] = {
    "cloud-hosting": ("Cloud compute usage", "Managed database hosting", "Object storage"),
    "software-licences": ("Subscription renewal", "Named user licences", "Support and updates"),
    "it-services": ("Managed service fee", "Security monitoring", "Service desk tickets"),
    "telecom": ("Mobile plans", "WAN link rental", "Telephony minutes"),
    "facility-management": ("Cleaning services", "Building maintenance", "Reception services"),
    "catering": ("Canteen services", "Vending refills", "Event catering"),
    "construction": ("Roof repair", "Office refit works", "Electrical installation"),
    "energy": ("Electricity supply", "Natural gas supply", "Water and wastewater"),
    "freight": ("Road freight, full truckload", "Sea freight container", "Freight surcharge"),
    "warehousing": ("Pallet storage", "Pick and pack", "Warehouse handling"),
    "parcel": ("Parcel shipments", "Express courier", "Returns handling"),
    "metals": ("Aluminium sheet", "Steel bar stock", "Titanium plate"),
    "chemicals": ("Polymer granulate", "Solvents", "Coating resin"),
    "components": ("Machined housings", "Bearing assemblies", "Hydraulic fittings"),
    "electronics": ("Sensor modules", "Printed circuit boards", "Cable harnesses"),
    "consulting": ("Consulting services", "Project management", "Process review workshop"),
    "legal-audit": ("Legal advice", "Annual audit fee", "Tax advisory"),
    "insurance-finance": ("Insurance premium", "Bank charges", "Credit insurance"),
    "agencies": ("Media buying", "Campaign production", "Agency retainer"),
    "promotional": ("Printed packaging", "Trade fair giveaways", "Branded merchandise"),
    "mro": ("Office supplies", "Tools and hardware", "Safety equipment", "Spare parts"),
}
CARD_TEXTS = ("Office supplies", "Tools and hardware", "Safety equipment", "Cleaning supplies")

# The two sources finance imports from, with the column header of each Steward field.
ERP_SOURCE = "ERP invoice lines"
CARD_SOURCE = "Corporate cards"
ERP_MAPPING: dict[str, str] = {
    "date": "Posting date",
    "vendor_name": "Vendor",
    "vendor_tax_id": "VAT ID",
    "reference": "Document",
    "line_number": "Line",
    "amount": "Net amount",
    "currency": "Currency",
    "quantity": "Quantity",
    "item": "Material",
    "description": "Text",
    "gl_account": "GL account",
    "cost_center": "Cost center",
    "category": "Category",
    "contract": "Contract",
}
CARD_MAPPING: dict[str, str] = {
    "date": "Transaction date",
    "vendor_name": "Merchant",
    "reference": "Transaction ID",
    "amount": "Amount",
    "currency": "Currency",
    "description": "Merchant category",
    "cost_center": "Cost center",
}
CARD_DATE_FORMAT = "%d/%m/%Y"

# Prices agreed in the main vendor's managed-services agreement: (item, description, unit,
# share of the monthly value, usual quantity). The unit price follows from the share.
MANAGED_SERVICE_PRICES: tuple[tuple[str, str, str, Decimal, int], ...] = (
    ("MS-BASE", "Managed service base fee", "month", Decimal("0.35"), 1),
    ("SD-TICKET", "Service desk ticket", "ticket", Decimal("0.27"), 300),
    ("VM-MONTH", "Hosted virtual machine", "VM-month", Decimal("0.26"), 36),
    ("OPS-HOUR", "Operations engineer hour", "hour", Decimal("0.12"), 24),
)
# What the vendor billed above the agreement: item, price increase, in which months (counted
# back from the current month) — a hosting price rise nobody agreed to, and overtime rates.
OVERBILLED: dict[str, tuple[Decimal, range]] = {
    "VM-MONTH": (Decimal("0.10"), range(7)),
    "OPS-HOUR": (Decimal("0.16"), range(2, 5)),
}
# Day rates in the under-used consulting agreement; some days billed below the rate.
DAY_RATES: tuple[tuple[str, str, Decimal], ...] = (
    ("CONS-SENIOR-DAY", "Senior consultant day", Decimal("1150.00")),
    ("CONS-DAY", "Consultant day", Decimal("850.00")),
)
SOW_MILESTONES: tuple[tuple[str, Decimal, int], ...] = (
    ("Transition milestone 1: knowledge transfer", Decimal("0.25"), 1),
    ("Transition milestone 2: parallel run", Decimal("0.35"), 3),
    ("Transition milestone 3: handover accepted", Decimal("0.40"), 8),
)
# Where the main vendor's lines are booked: its agreement covers operations and the desk.
MAIN_CATEGORY = "it-services"
FRAGMENTED_CATEGORY = "mro"

"""Words of the large ledger: the categories a big company buys in beyond the demo's own tree,
and the departments and sites its cost centers are named after."""

from __future__ import annotations

# Subcategories per top-level category of the demo's tree (supply_vocabulary.CATEGORY_TREE).
# A name ending in "*" is goods bought by item and quantity; the others are services.
SUBCATEGORIES: dict[str, str] = {
    "it": "Laptops and desktops* | Servers and storage* | Network equipment* | Printers and "
    "peripherals* | Mobile devices* | Data centre colocation | Cybersecurity services | Security "
    "software | Collaboration software | ERP software and support | CRM software | HR and payroll "
    "software | Design and engineering software | Database licences | Cloud backup | Service "
    "desk outsourcing | Application development | IT contractors | IT training | Managed print "
    "services | Software asset management | Identity and access management | Monitoring and "
    "observability | Data and analytics platforms | Audio-visual equipment*",
    "facilities": "Cleaning services | Security guarding | Waste management | Pest control | "
    "Landscaping | Office furniture* | Workplace fit-out | HVAC maintenance | Lift maintenance | "
    "Fire safety equipment* | Electrical installation | Plumbing works | Roofing | Painting and "
    "decorating | Facility consumables* | Water and sanitation | District heating | Office "
    "leases | Parking | Reception services | Mailroom services | Relocation services | Energy "
    "audits | Building automation | Lighting*",
    "logistics": "Road freight domestic | Road freight international | Sea freight | Air freight "
    "| Rail freight | Customs brokerage | Last-mile delivery | Cold chain logistics | Pallets and "
    "crates* | Packaging materials* | Fleet leasing | Fleet fuel* | Vehicle maintenance | "
    "Forklifts and handling equipment* | Courier services | Third-party warehousing | Freight "
    "audit | Container hire | Dangerous goods transport | Reverse logistics | Returns handling | "
    "Port and terminal fees | Cargo insurance | Tracking and telematics | Removals",
    "raw-materials": "Steel sheet* | Steel bar and tube* | Aluminium extrusions* | Copper and "
    "brass* | Titanium alloys* | Plastic resins* | Rubber compounds* | Adhesives and sealants* | "
    "Coatings and paints* | Industrial gases* | Solvents* | Castings* | Forgings* | Fasteners* | "
    "Bearings* | Springs* | Seals and gaskets* | Hydraulic components* | Pneumatic components* | "
    "Motors and drives* | Printed circuit boards* | Semiconductors* | Cables and harnesses* | "
    "Batteries* | Glass and ceramics*",
    "professional-services": "Management consulting | IT consulting | Engineering services | "
    "Legal services | Patents and trademarks | Statutory audit | Tax advisory | Recruitment "
    "agencies | Temporary staff | Executive search | Training and development | Translation "
    "services | Market research | Property insurance | Liability insurance | Banking fees | "
    "Payroll services | Occupational health | Background screening | Architecture and design | "
    "Environmental services | Testing and certification | Interim management | Outplacement | "
    "Notary and registry fees",
    "marketing": "Advertising agencies | Media buying | Digital advertising | Public relations | "
    "Events and exhibitions | Trade fair stands* | Printing services* | Promotional merchandise* "
    "| Corporate gifts* | Photography and video | Market intelligence subscriptions | "
    "Sponsorship | Direct mail | Web development | Social media management | Search engine "
    "marketing | Branding and design | Point-of-sale materials* | Sampling and displays* | "
    "Customer events | Influencer marketing | Marketing translation | Content production | "
    "Catalogues* | Packaging design",
    "mro": "Office supplies* | Paper and print consumables* | Cleaning chemicals* | Personal "
    "protective equipment* | Workwear* | Hand tools* | Power tools* | Spare parts* | "
    "Lubricants* | Filters* | Welding supplies* | Abrasives* | Safety signage* | First aid "
    "supplies* | Ladders and access equipment* | Electrical supplies* | Plumbing supplies* | "
    "Laboratory supplies* | Calibration services | Machine repair | Pump maintenance | Compressor "
    "maintenance | Industrial cleaning | Tool rental | Storage and shelving*",
}

# Categories of the demo's own tree bought by item and quantity.
GOODS_CODES = frozenset(
    {"metals", "chemicals", "components", "electronics", "promotional", "mro", "catering"}
)

DEPARTMENTS = (
    "Finance",
    "Human resources",
    "IT",
    "Marketing",
    "Sales",
    "Production",
    "Maintenance",
    "Logistics",
    "Research and development",
    "Quality",
    "Procurement",
    "Legal",
    "Facilities",
    "Customer service",
    "Engineering",
    "Health and safety",
    "Executive office",
    "Treasury",
    "Internal audit",
    "Communications",
)
SITES = (
    "Amsterdam",
    "Barcelona",
    "Birmingham",
    "Bologna",
    "Bratislava",
    "Brno",
    "Copenhagen",
    "Dublin",
    "Eindhoven",
    "Gdansk",
    "Gothenburg",
    "Graz",
    "Hamburg",
    "Hannover",
    "Helsinki",
    "Katowice",
    "Leeds",
    "Lille",
    "Lisbon",
    "Lyon",
    "Malmo",
    "Nantes",
    "Porto",
    "Stuttgart",
    "Turin",
)


def subcategories() -> list[tuple[str, str, bool]]:
    """(parent code, name, goods) for every subcategory, in a fixed order."""
    found = []
    for parent, names in SUBCATEGORIES.items():
        for raw in names.split("|"):
            name = raw.strip()
            found.append((parent, name.removesuffix("*"), name.endswith("*")))
    return found

"""Words and figures of the key-account demo data: what we sell, whom we lose cells to, why deals
are lost and what account managers must be trained in."""

from __future__ import annotations

from decimal import Decimal

D = Decimal

# (code, family, [(sku, name, kind, unit, list price, standard cost, recurring)]), in EUR.
CATALOG: tuple[tuple[str, str, tuple[tuple[str, str, str, str, D, D, bool], ...]], ...] = (
    (
        "DRV",
        "Drive units",
        (
            ("DRV-SD110", "Servo drive SD-110", "product", "each", D(2400), D(1450), False),
            ("DRV-FI220", "Frequency inverter FI-220", "product", "each", D(1850), D(1120), False),
            ("DRV-GM40", "Gear motor GM-40", "product", "each", D(980), D(640), False),
        ),
    ),
    (
        "AUT",
        "Automation systems",
        (
            ("AUT-PX500", "Controller PX-500", "product", "each", D(6800), D(3900), False),
            ("AUT-HP15", "Operator panel HP-15", "product", "each", D(2100), D(1200), False),
            (
                "AUT-LSV",
                "Line supervision software, site licence",
                "subscription",
                "site a year",
                D(18000),
                D(4500),
                True,
            ),
        ),
    ),
    (
        "SEN",
        "Sensor modules",
        (
            ("SEN-PROX", "Proximity sensor kit", "product", "kit", D(420), D(210), False),
            ("SEN-VIB", "Vibration monitoring module", "product", "each", D(1350), D(620), False),
            ("SEN-VIS", "Vision inspection camera", "product", "each", D(5400), D(2900), False),
        ),
    ),
    (
        "CAB",
        "Control cabinets",
        (
            ("CAB-STD", "Standard control cabinet", "product", "each", D(14500), D(10300), False),
            (
                "CAB-CUS",
                "Custom-built control cabinet",
                "product",
                "each",
                D(38000),
                D(27500),
                False,
            ),
        ),
    ),
    (
        "SRV",
        "Spare parts and field service",
        (
            ("SRV-DAY", "Field service engineer", "service", "day", D(1150), D(620), False),
            ("SRV-SPK", "Critical spares kit", "product", "kit", D(3200), D(2050), False),
        ),
    ),
    (
        "MNT",
        "Maintenance contracts",
        (
            (
                "MNT-STD",
                "Maintenance contract, standard",
                "subscription",
                "site a year",
                D(24000),
                D(13000),
                True,
            ),
            (
                "MNT-PRE",
                "Maintenance contract, premium 24/7",
                "subscription",
                "site a year",
                D(46000),
                D(24500),
                True,
            ),
        ),
    ),
    (
        "ENG",
        "Engineering services",
        (
            ("ENG-DES", "Automation design", "service", "week", D(7600), D(4300), False),
            ("ENG-COM", "Commissioning package", "service", "line", D(12000), D(7100), False),
        ),
    ),
)

# (code, name, bundle price, [(sku, quantity)])
BUNDLES = (
    (
        "LINE-START",
        "Line starter package",
        D(24500),
        (("AUT-PX500", 1), ("AUT-HP15", 1), ("DRV-FI220", 2), ("ENG-COM", 1)),
    ),
    (
        "COND-MON",
        "Condition monitoring package",
        None,
        (("SEN-VIB", 4), ("SRV-DAY", 2)),
    ),
)

COMPETITORS = (
    "Kestrel Automation",
    "Ostara Drives",
    "Meridian Controls",
    "Halvard Engineering",
    "Brightline Sensors",
)

LOST_REASONS = (
    "Lost on price against a competitor's framework agreement.",
    "The customer postponed the project to next year's budget.",
    "The customer chose to keep the work in-house.",
    "The incumbent matched our offer and kept the business.",
)

NEXT_STEPS = (
    "Site visit with the plant engineering team",
    "Send the revised proposal",
    "Technical workshop with the automation lead",
    "Agree the commercial terms with procurement",
    "Reference call with an existing customer",
)

# (title, due in days from today, required)
TRAINING = (
    ("Key account planning certification", -60, True),
    ("Product update: line supervision software", -20, True),
    ("Negotiation skills, advanced", 40, True),
    ("Industrial cyber security awareness", 75, False),
)

# --- the story moments (key_account_story.py) ----------------------------------------------------

# People of the main account the plan maps when the account has nobody there yet:
# (first name, last name, job title, contact role code).
PLAN_SPONSOR = ("Helena", "Brandt", "Chief Operating Officer", "executive_sponsor")
SITE_DECISION_MAKER = ("Tomas", "Lindqvist", "Site Director", "decision_maker")

PLAN_GOALS = (
    "Raise line availability at every plant to 97 % and bring new lines up in half the time, "
    "with one automation standard across the group."
)
PLAN_NEEDS = (
    "A single supplier for drives, controls and sensors with local service, and a migration "
    "path off the competitors' installed controllers."
)
# (title, measure, target, due in days from today, status)
PLAN_OBJECTIVES = (
    ("Raise line availability", "Availability of the automated lines", "97 %", 150, "on_track"),
    (
        "Standardise controllers across the plants",
        "Share of lines on the PX-500 platform",
        "60 %",
        240,
        "not_started",
    ),
    (
        "Shorten new line commissioning",
        "Weeks from delivery to production",
        "6 weeks",
        200,
        "at_risk",
    ),
)
# (title, due in days from today, whose: "ours" or "theirs")
PLAN_ACTIONS = (
    ("Send the availability report for the last quarter", 10, "ours"),
    ("Share the plants' line inventory with our engineers", 21, "theirs"),
)
PLAN_REVIEW_NOTES = (
    "Quarterly review with the operations board: availability on track, the controller "
    "standard agreed in principle, commissioning times still too long."
)
WEAK_PLAN_GOALS = "Keep the installed drives running and find the next project."
WEAK_PLAN_OBJECTIVE = "Grow the service business"

DETRACTOR_NPS = 3
DETRACTOR_CSAT = 2
DETRACTOR_COMMENT = (
    "Two breakdowns this quarter and the service engineer came three days late both times. "
    "We are looking at other suppliers for the new warehouse."
)

WON_DEAL_LINES = (("AUT-PX500", 4), ("AUT-HP15", 4), ("ENG-COM", 1))
HANDOFF_SUMMARY = (
    "Won after a six-month pilot: four controllers with operator panels and commissioning for "
    "their first automated line. Procurement pushed hard on price; the plant manager is our "
    "champion. The customer expects the account manager at the kick-off."
)
# (kind, title, due in days from today or None, details)
HANDOFF_ITEMS = (
    ("checklist", "Hold the kick-off meeting with the plant team", 6, ""),
    ("checklist", "Transfer the signed order, price sheet and pilot report", None, ""),
    ("milestone", "First line commissioned", 45, "Commissioning package booked for two weeks."),
)
HANDOFF_COMMITMENT = (
    "Two days of on-site operator training at no charge",
    "Promised in the final negotiation in exchange for the three-year service term.",
)
HANDOFF_RISK = (
    "Procurement may rebid the service contract after the first year",
    4,
    "Show the availability gains at the first review and propose the service term early.",
)
HANDOFF_CONTACT_ROLES = ("Champion, plant manager", "Signs off the acceptance test")

"""The questionnaire Steward ships with: a lightweight third-party security review, published.

Written for Steward. It serves depth "light" (tier 3); until the library holds standard and full
questionnaires, reassessments of tiers 1 and 2 use it too. Its content is frozen here: a later
change to the template is a new version made in the application, never an edit of this file.
"""

from django.db import migrations
from django.utils import timezone

NAME = "Lightweight third-party security review"
DESCRIPTION = (
    "A short review of a vendor's security practices for vendors of moderate inherent risk: "
    "governance, access, data, vulnerabilities, incidents, continuity and the vendor's own "
    "suppliers. Answers that matter most ask for evidence."
)

YN = "yes_no"
# (ref, question, guidance, answer type, choices, compliant answers, weight, evidence required,
#  severity of a gap, applies when (ref, answer) or None)
SECTIONS = [
    (
        "Governance",
        2,
        [
            ("GV-1", "Do you have a written information security policy approved by management?",
             "Attach the policy or its table of contents and the approval date.",
             YN, [], ["yes"], 3, True, "high", None),
            ("GV-2", "Is a named person accountable for information security?",
             "Give their role in the comment.", YN, [], ["yes"], 2, False, "medium", None),
            ("GV-3", "Which independent attestations does your service hold?",
             "Choose every one that is current.", "multiple",
             ["ISO/IEC 27001", "SOC 2 Type II", "Other", "None"], [], 2, False, "low", None),
            ("GV-4", "Do your staff complete security awareness training at least once a year?",
             "", YN, [], ["yes"], 1, False, "low", None),
        ],
    ),
    (
        "Access control",
        3,
        [
            ("AC-1", "Is multi-factor authentication required for all access to systems that "
             "hold our data?", "Include administrative and remote access.",
             YN, [], ["yes"], 3, False, "critical", None),
            ("AC-2", "How often are user access rights reviewed?", "",
             "single", ["Quarterly or more often", "Yearly", "Never or ad hoc"],
             ["Quarterly or more often"], 2, False, "medium", None),
            ("AC-3", "Are accounts removed within one working day of a person leaving?", "",
             YN, [], ["yes"], 2, False, "high", None),
            ("AC-4", "Is privileged access limited to named people and logged?", "",
             YN, [], ["yes"], 2, False, "high", None),
        ],
    ),
    (
        "Data protection",
        3,
        [
            ("DP-1", "Is our data encrypted in transit and at rest?",
             "Name the protocols and the storage encryption in the comment.",
             YN, [], ["yes"], 3, False, "critical", None),
            ("DP-2", "In which regions is our data stored?", "", "multiple",
             ["European Economic Area", "United Kingdom", "United States", "Other"], [],
             1, False, "medium", None),
            ("DP-3", "Will our data be deleted or returned at the end of the contract, with "
             "confirmation?", "", YN, [], ["yes"], 2, False, "medium", None),
            ("DP-4", "Do you process personal data on our behalf?", "",
             YN, [], [], 1, False, "low", None),
            ("DP-5", "Is a data processing agreement in place or offered?",
             "Attach the agreement or your standard terms.", YN, [], ["yes"], 2, True, "high",
             ("DP-4", "yes")),
        ],
    ),
    (
        "Vulnerability management",
        2,
        [
            ("VM-1", "Is the service tested by an independent penetration test at least once "
             "a year?", "Attach the latest summary letter.", YN, [], ["yes"], 3, True, "high",
             None),
            ("VM-2", "Within how many days are critical vulnerabilities fixed?",
             "Your committed fix time for critical findings.", "number", [], [], 2, False,
             "high", None),
            ("VM-3", "Are systems scanned for known vulnerabilities at least monthly?", "",
             YN, [], ["yes"], 1, False, "medium", None),
        ],
    ),
    (
        "Incident response",
        2,
        [
            ("IR-1", "Do you have a documented incident response plan that is tested yearly?",
             "", YN, [], ["yes"], 2, False, "high", None),
            ("IR-2", "How soon will you notify us of a security incident affecting our data?",
             "", "single", ["Within 24 hours", "Within 72 hours", "Later or not committed"],
             ["Within 24 hours"], 3, False, "high", None),
            ("IR-3", "When was your last security incident that affected customers, if any?",
             "Leave a comment if none.", "text", [], [], 1, False, "low", None),
        ],
    ),
    (
        "Business continuity",
        1,
        [
            ("BC-1", "Are backups taken daily, kept off-site and restored in a test at least "
             "yearly?", "", YN, [], ["yes"], 2, False, "high", None),
            ("BC-2", "Do you have a business continuity plan covering the service you provide "
             "us?", "Attach the plan's summary.", YN, [], ["yes"], 2, True, "medium", None),
            ("BC-3", "When did you last test recovery of the service?", "", "date", [], [],
             1, False, "low", None),
        ],
    ),
    (
        "Subprocessors",
        1,
        [
            ("SP-1", "Do you use subprocessors that can access our data?", "",
             YN, [], [], 1, False, "low", None),
            ("SP-2", "Do you keep a list of those subprocessors and tell us before changing it?",
             "Attach the current list.", YN, [], ["yes"], 2, True, "medium", ("SP-1", "yes")),
            ("SP-3", "Are your subprocessors bound by security terms at least as strict as "
             "yours?", "", YN, [], ["yes"], 2, False, "medium", ("SP-1", "yes")),
        ],
    ),
]


def ship_template(apps, schema_editor):
    template_model = apps.get_model("assessments", "QuestionnaireTemplate")
    version_model = apps.get_model("assessments", "TemplateVersion")
    section_model = apps.get_model("assessments", "Section")
    question_model = apps.get_model("assessments", "Question")
    if template_model.objects.filter(name=NAME).exists():
        return
    template = template_model.objects.create(name=NAME, description=DESCRIPTION, depth="light")
    version = version_model.objects.create(
        template=template,
        number=1,
        status="published",
        published_at=timezone.now(),
        note="Shipped with Steward.",
    )
    for position, (title, weight, questions) in enumerate(SECTIONS, start=1):
        section = section_model.objects.create(
            template_version=version, title=title, order=position, weight=weight
        )
        for order, row in enumerate(questions, start=1):
            ref, text, guidance, kind, choices, compliant, q_weight, evidence, severity, when = row
            question_model.objects.create(
                section=section,
                ref=ref,
                text=text,
                guidance=guidance,
                answer_type=kind,
                choices=choices,
                compliant_answers=compliant,
                weight=q_weight,
                evidence_required=evidence,
                gap_severity=severity,
                applies_when_ref=when[0] if when else "",
                applies_when_answer=when[1] if when else "",
                order=order,
            )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(ship_template, migrations.RunPython.noop)]

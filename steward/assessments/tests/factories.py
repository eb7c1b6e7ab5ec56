"""A small assessments world on top of the cast: vendor A (``owner``'s, with ``portal_a``), vendor
B (``outsider``'s, with ``portal_b``), an IT security reviewer and a tiny published template."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from steward.assessments import services
from steward.assessments.models import Assessment, Question, TemplateVersion
from steward.parties.tests.cast import Cast
from steward.people.choices import Function
from steward.people.tests.factories import UserFactory
from steward.risk.choices import Depth
from steward.suppliers.models import Supplier
from steward.suppliers.tests.factories import SupplierFactory


def cast_supplier(made: Any) -> Supplier:
    assert isinstance(made, Supplier)
    return made


SHIPPED_NAME = "Lightweight third-party security review"


def pdf_file(name: str = "policy.pdf", text: str = "evidence") -> SimpleUploadedFile:
    body = b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def it_security_user(username: str = "secops") -> Any:
    return UserFactory(username=username, profile__function=Function.IT_SECURITY)


def vendor_of(cast: Cast, relationship: Any) -> Supplier:
    existing = Supplier.objects.filter(pk=relationship.pk).first()
    return existing or cast_supplier(SupplierFactory(relationship=relationship))


def small_version(
    actor: Any, name: str = "Tiny review", depth: str = Depth.LIGHT
) -> TemplateVersion:
    """Two sections: Access (weight 3) with MFA (yes/no, 2, evidence) and reviews (single, 1);
    Data (weight 1) with encryption (yes/no, 1, critical gap) and a text question (1)."""
    template = services.template_create(actor=actor, name=name, depth=depth)
    version = template.versions.get()
    access = services.section_add(actor=actor, version=version, title="Access", weight=3)
    data = services.section_add(actor=actor, version=version, title="Data", weight=1)
    services.question_add(
        actor=actor,
        section=access,
        ref="A1",
        text="MFA everywhere?",
        answer_type="yes_no",
        compliant_answers=["yes"],
        weight=2,
        evidence_required=True,
        gap_severity="high",
    )
    services.question_add(
        actor=actor,
        section=access,
        ref="A2",
        text="Access reviews?",
        answer_type="single",
        choices=["Quarterly", "Yearly", "Never"],
        compliant_answers=["Quarterly"],
        weight=1,
    )
    services.question_add(
        actor=actor,
        section=data,
        ref="D1",
        text="Encrypted at rest?",
        answer_type="yes_no",
        compliant_answers=["yes"],
        weight=1,
        gap_severity="critical",
    )
    services.question_add(
        actor=actor,
        section=data,
        ref="D2",
        text="Describe backups",
        answer_type="text",
        weight=1,
        gap_severity="low",
    )
    return services.version_publish(actor=actor, version=version)


def question(version: TemplateVersion, ref: str) -> Question:
    return Question.objects.get(section__template_version=version, ref=ref)


@dataclass
class World:
    cast: Cast
    secops: Any
    vendor_a: Supplier
    vendor_b: Supplier
    version: TemplateVersion

    def q(self, ref: str) -> Question:
        return question(self.version, ref)


def build_world(cast: Cast) -> World:
    secops = it_security_user()
    return World(
        cast=cast,
        secops=secops,
        vendor_a=vendor_of(cast, cast.rel_a),
        vendor_b=vendor_of(cast, cast.rel_b),
        version=small_version(secops),
    )


def sent(world: World, vendor: Supplier | None = None, *, actor: Any = None) -> Assessment:
    actor = actor or world.cast.owner
    draft = services.assessment_create(
        actor=actor, supplier=vendor or world.vendor_a, template_version=world.version
    )
    return services.assessment_send(
        actor=actor, assessment=draft, due_on=timezone.localdate() + dt.timedelta(days=14)
    )


def answered(world: World, assessment: Assessment, portal: Any, **values: Any) -> Assessment:
    """Answer every question (compliant unless ``values`` says otherwise) and submit."""
    defaults = {"A1": "yes", "A2": "Quarterly", "D1": "yes", "D2": "Nightly, kept 30 days."}
    defaults.update(values)
    for ref, value in defaults.items():
        services.answer_save(
            actor=portal, assessment=assessment, question=world.q(ref), value=value
        )
    services.evidence_add(
        actor=portal, assessment=assessment, question=world.q("A1"), upload=pdf_file()
    )
    return services.assessment_submit(actor=portal, assessment=assessment)

"""Factories for issues. Rows are written directly (no history, no due-date derivation): use
``steward.issues.services.issue_open`` where the rules matter."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from steward.issues.choices import IssueCategory, IssueSource, IssueStatus, Severity
from steward.issues.models import EscalationLevel, Issue, IssueEscalation, IssueTransition
from steward.parties.tests.factories import RelationshipFactory


class IssueFactory(factory.django.DjangoModelFactory):
    """An open issue owned and reported by its relationship's owner, due in 8 h / 72 h."""

    class Meta:
        model = Issue

    relationship = factory.SubFactory(RelationshipFactory)
    reference = factory.Sequence(lambda n: f"ISS-F{n:06d}")
    title = factory.Sequence(lambda n: f"Issue {n}")
    category = IssueCategory.QUALITY
    severity = Severity.HIGH
    owner = factory.LazyAttribute(lambda i: i.relationship.owner)
    reported_by = factory.LazyAttribute(lambda i: i.relationship.owner)
    source = IssueSource.MANUAL
    status = IssueStatus.NEW
    opened_at = factory.LazyFunction(timezone.now)
    respond_by = factory.LazyAttribute(lambda i: i.opened_at + dt.timedelta(hours=8))
    resolve_by = factory.LazyAttribute(lambda i: i.opened_at + dt.timedelta(hours=72))


class IssueTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueTransition

    issue = factory.SubFactory(IssueFactory)
    from_status = IssueStatus.NEW
    to_status = IssueStatus.ACKNOWLEDGED
    actor = factory.LazyAttribute(lambda t: t.issue.owner)


class EscalationLevelFactory(factory.django.DjangoModelFactory):
    """A rung of a relationship's ladder whose internal contact is the relationship's owner."""

    class Meta:
        model = EscalationLevel

    relationship = factory.SubFactory(RelationshipFactory)
    level = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Level {n + 1}")
    internal_contact = factory.LazyAttribute(lambda e: e.relationship.owner)
    after_hours = 0


class IssueEscalationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IssueEscalation

    issue = factory.SubFactory(IssueFactory)
    level = 1
    missed = "manual"
    actor = factory.LazyAttribute(lambda e: e.issue.owner)
    at = factory.LazyFunction(timezone.now)

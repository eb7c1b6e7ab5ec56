"""The small demo world has a story for every role: checked once, on one load."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import authenticate, get_user_model
from django.db.models import Count, Q
from django.test import RequestFactory
from django.utils import timezone

from steward.core.access import Access, principal_for
from steward.demo.generate.context import DEMO_PASSWORD
from steward.demo.services import DemoLoadResult
from steward.parties.choices import Industry, RelationshipStatus, Side, SiteKind
from steward.parties.models import Contact, Organization, Relationship, RelationshipMember, Site
from steward.people.choices import Function, JobRole, UserKind
from steward.people.models import Profile, Team
from steward.people.selectors import report_ids_for

User = get_user_model()


def _user(username: str) -> Any:
    return User.objects.select_related("profile").get(username=username)


def test_every_role_has_people(loaded: DemoLoadResult) -> None:
    # Then every job role has at least one active person
    for role in JobRole:
        assert User.objects.filter(groups__name=role, is_active=True).exists(), role
    # And every reviewing function has a reviewer (a person without a job role)
    for function in (Function.LEGAL, Function.FINANCE, Function.IT_SECURITY, Function.PROCUREMENT):
        reviewers = User.objects.filter(
            profile__function=function, groups=None, profile__kind=UserKind.INTERNAL
        )
        assert reviewers.exists(), function
    # And there are external portal users, about 30 people in all
    assert Profile.objects.filter(kind=UserKind.EXTERNAL).count() >= 2
    assert 25 <= User.objects.count() <= 35


def test_every_printed_login_works(loaded: DemoLoadResult) -> None:
    # When each printed demo login signs in with the printed password
    for login in loaded.logins:
        request = RequestFactory().post("/login/")
        user = authenticate(request, username=login.username, password=DEMO_PASSWORD)

        # Then the password is accepted
        assert user is not None, login.username
        assert user.is_active
    # And the table covers every kind of person
    assert {login.role for login in loaded.logins} >= {
        "Administrator",
        "Auditor",
        "Field sales manager",
        "Account manager",
        "Vendor manager",
        "Specialist",
        "Reviewer (legal)",
        "Portal user (external)",
        "Business development",
    }


def test_portal_users_see_only_what_their_organization_shared(loaded: DemoLoadResult) -> None:
    portal_users = User.objects.filter(profile__kind=UserKind.EXTERNAL).select_related(
        "profile__organization"
    )
    for user in portal_users:
        organization = user.profile.organization

        # Then their organization shares at least one site and one contact with them
        sites = Site.objects.restrict(user, "view")
        contacts = Contact.objects.restrict(user, "view")
        assert sites.exists(), user.username
        assert contacts.exists(), user.username
        # And they are one of those contacts
        assert contacts.filter(email=user.email).exists()
        # And everything they see belongs to their organization and was shared
        assert list(Organization.objects.restrict(user, "view")) == [organization]
        assert not sites.exclude(organization=organization, shared_with_portal=True).exists()
        assert not contacts.exclude(organization=organization, shared_with_portal=True).exists()
        assert not Relationship.objects.restrict(user, "view").exists()
    # And their organizations keep records they did not share
    shared_orgs = {user.profile.organization_id for user in portal_users}
    assert Contact.objects.filter(
        organization_id__in=shared_orgs, shared_with_portal=False
    ).exists()


def test_the_sales_director_has_indirect_reports_and_sees_their_accounts(
    loaded: DemoLoadResult,
) -> None:
    director = _user("sales.director")

    # Then some of the director's reports report to someone else (indirect reports)
    reports = report_ids_for(director.pk)
    direct = set(Profile.objects.filter(manager=director).values_list("user_id", flat=True))
    indirect = reports - direct
    assert direct
    assert indirect
    # And the director sees the accounts those indirect reports own
    owned_by_indirect = Relationship.objects.filter(owner_id__in=indirect)
    assert owned_by_indirect.exists()
    visible = Relationship.objects.restrict(director, "view")
    assert set(owned_by_indirect.values_list("pk", flat=True)) <= set(
        visible.values_list("pk", flat=True)
    )
    assert principal_for(director).report_ids == reports


def test_reviews_fall_due_overdue_this_week_and_later(loaded: DemoLoadResult) -> None:
    today = timezone.localdate()
    week = today + dt.timedelta(days=6)
    active = Relationship.objects.filter(
        status__in=[RelationshipStatus.ACTIVE, RelationshipStatus.UNDER_REVIEW]
    )

    # Then some reviews are overdue, some due within 7 days, and some later
    assert active.filter(next_review_on__lt=today).exists()
    assert active.filter(next_review_on__range=(today, week)).exists()
    assert active.filter(next_review_on__gt=week).exists()
    # And the demo account and vendor managers each have one overdue and one due this week
    for username in ("account.manager", "vendor.manager"):
        owned = active.filter(owner__username=username)
        assert owned.filter(next_review_on__lt=today).exists(), username
        assert owned.filter(next_review_on__range=(today, week)).exists(), username


def test_relationships_cover_both_sides_with_teams_that_edit_and_review(
    loaded: DemoLoadResult,
) -> None:
    # Then there are vendors and accounts, owned by vendor and account managers
    supply = Relationship.objects.filter(side=Side.SUPPLY)
    demand = Relationship.objects.filter(side=Side.DEMAND)
    assert supply.exists()
    assert demand.exists()
    assert not supply.exclude(owner__groups__name=JobRole.VENDOR_MANAGER).exists()
    assert not demand.exclude(
        Q(owner__groups__name=JobRole.ACCOUNT_MANAGER)
        | Q(owner__groups__name=JobRole.FIELD_SALES_MANAGER)
    ).exists()
    # And their teams hold editors and reviewers, reviewers from the reviewing functions
    members = RelationshipMember.objects.all()
    assert members.filter(access=Access.EDIT).exists()
    reviews = members.filter(access=Access.REVIEW)
    assert reviews.exists()
    assert not reviews.exclude(
        user__profile__function__in=["legal", "finance", "it_security", "procurement"]
    ).exists()
    # And a reviewer sees what they review, read-only
    reviewer = _user("reviewer.legal")
    assigned = Relationship.objects.filter(members__user=reviewer)
    assert assigned.exists()
    assert set(Relationship.objects.restrict(reviewer, "view")) == set(assigned)
    assert not Relationship.objects.restrict(reviewer, "change").exists()
    # And every status occurs, and every relationship has a summary
    statuses = set(Relationship.objects.values_list("status", flat=True))
    assert statuses == set(RelationshipStatus.values)
    assert not Relationship.objects.filter(summary="").exists()


def test_organizations_form_groups_with_sites_of_every_kind(loaded: DemoLoadResult) -> None:
    organizations = Organization.objects.all()

    # Then there are about 100, some groups with several subsidiaries
    assert organizations.count() == 100
    groups = organizations.annotate(children=Count("subsidiaries")).filter(children__gte=2)
    assert groups.exists()
    # And legal names carry legal forms, industries come from the choices, countries are set
    forms = ("GmbH", "Inc.", "Ltd", "S.A.", "AG", "LLC", "B.V.", "PLC", "SAS", "S.p.A.")
    with_form = [o for o in organizations if any(f in o.legal_name for f in forms)]
    assert len(with_form) >= 50
    assert set(organizations.values_list("industry", flat=True)) <= set(Industry.values)
    assert not organizations.filter(country="").exists()
    # And sites of every kind exist, headquarters everywhere
    assert set(Site.objects.values_list("kind", flat=True)) == set(SiteKind.values)
    assert not organizations.exclude(sites__kind=SiteKind.HEADQUARTERS).exists()
    # And contacts carry role tags, influence and relationship strength
    contacts = Contact.objects.all()
    assert not contacts.filter(roles=None).exists()
    assert contacts.filter(influence__gte=4).exists()
    assert contacts.filter(relationship_strength__isnull=False).exists()
    assert organizations.filter(tags__isnull=False).exists()


def test_every_record_has_history_naming_who_made_it(loaded: DemoLoadResult) -> None:
    for model in (Organization, Site, Contact, Relationship, RelationshipMember, Team):
        history = model.history.model
        created = history.objects.filter(history_type="+")

        # Then each record was created once in its history, by a person, at its creation time
        assert created.count() == model.objects.count(), model
        assert not created.filter(history_user__isnull=True).exists(), model
        first = created.order_by("history_id").first()
        record = model.objects.get(pk=first.id)
        assert first.history_date == record.created_at
        assert record.created_at < timezone.now()
    # And every account but the first administrator's was opened by that administrator
    opened = Profile.history.filter(history_type="+")
    assert set(
        opened.filter(history_user__isnull=True).values_list("user__username", flat=True)
    ) == {"admin"}
    assert opened.count() == Profile.objects.count()
    # And later edits are recorded with their reason and a higher version
    edited = Relationship.objects.filter(version=2).first()
    assert edited is not None
    latest = edited.history.order_by("-history_date").first()
    assert (latest.history_type, latest.version) == ("~", 2)
    assert latest.history_change_reason
    # And archived contacts left an "Archived" entry
    archived = Contact.objects.filter(archived_at__isnull=False).first()
    assert archived is not None
    assert archived.history.filter(history_change_reason="Archived").exists()

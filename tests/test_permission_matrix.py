"""The permission matrix: every role, every model, list / detail / create / update / delete,
through the web interface and through the API.

The expectations below are written out by hand from the policy's rules (see access.py's
docstring); they do not ask the policy, so a change to the policy that the table does not
describe fails here. Each case proves both directions: an allowed role gets the row or the
change, a denied role gets neither and the database is untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from rest_framework.response import Response as _ApiResponse
from rest_framework.test import APIClient

from steward.parties.models import (
    Contact,
    Organization,
    OrganizationDocument,
    Relationship,
    RelationshipMember,
    Site,
)
from steward.parties.tests.cast import ROLES, Cast
from steward.people.models import ApiToken, Team
from steward.people.services import api_token_create

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

INTERNAL = frozenset(
    {"admin", "auditor", "director", "manager", "owner", "member", "reviewer", "outsider"}
)
WRITERS = INTERNAL - {"auditor"}  # internal people who may create records at all
ORG_A_EDITORS = frozenset({"admin", "owner", "member"})  # record owner, relationship editors
REL_A_READERS = frozenset(
    {"admin", "auditor", "director", "manager", "owner", "member", "reviewer"}
)

# (model, action) -> roles allowed, for the records of organization A in the cast.
EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("organization", "list"): INTERNAL | {"portal_a"},
    ("organization", "detail"): INTERNAL | {"portal_a"},
    ("organization", "create"): WRITERS,
    ("organization", "update"): ORG_A_EDITORS,
    ("organization", "delete"): ORG_A_EDITORS,
    ("site", "list"): INTERNAL | {"portal_a"},
    ("site", "detail"): INTERNAL | {"portal_a"},
    ("site", "create"): ORG_A_EDITORS,
    ("site", "update"): ORG_A_EDITORS,
    ("site", "delete"): ORG_A_EDITORS,
    ("contact", "list"): INTERNAL | {"portal_a"},
    ("contact", "detail"): INTERNAL | {"portal_a"},
    ("contact", "create"): ORG_A_EDITORS,
    ("contact", "update"): ORG_A_EDITORS,
    ("contact", "delete"): ORG_A_EDITORS,
    ("relationship", "list"): REL_A_READERS,
    ("relationship", "detail"): REL_A_READERS,
    ("relationship", "create"): WRITERS,
    ("relationship", "update"): frozenset({"admin", "owner", "member"}),
    ("relationship", "delete"): frozenset({"admin", "owner", "member"}),
    ("member", "list"): REL_A_READERS,
    ("member", "detail"): REL_A_READERS,
    ("member", "create"): frozenset({"admin", "owner", "member"}),
    ("member", "update"): frozenset({"admin", "owner", "member"}),
    ("member", "delete"): frozenset({"admin", "owner", "member"}),
    ("document", "list"): INTERNAL | {"portal_a"},
    ("document", "detail"): INTERNAL | {"portal_a"},
    ("document", "create"): ORG_A_EDITORS,
    ("document", "delete"): ORG_A_EDITORS,
    ("user", "list"): INTERNAL,
    ("user", "detail"): INTERNAL,
    ("user", "create"): frozenset({"admin"}),
    ("user", "update"): frozenset({"admin"}),
    ("team", "list"): INTERNAL,
    ("team", "detail"): INTERNAL,
    ("team", "create"): WRITERS,
    ("team", "update"): frozenset({"admin", "owner"}),  # the owner leads the team
    ("token", "list"): frozenset({"owner"}),
    ("token", "create"): INTERNAL | {"portal_a", "portal_b"},
    ("token", "delete"): frozenset({"admin", "owner"}),
}


@dataclass(frozen=True)
class Outcome:
    allowed: bool
    detail: str


Check = Callable[[Any, Cast, str], Outcome]


def _client(channel: str, user: Any) -> Any:
    client = APIClient() if channel == "api" else Client()
    client.force_login(user)
    return client


def _seen(response: Any, marker: str) -> Outcome:
    body = response.content.decode()
    return Outcome(
        allowed=response.status_code == 200 and marker in body, detail=f"{response.status_code}"
    )


def _visible(response: Any) -> Outcome:
    assert response.status_code in (200, 403, 404), response.status_code
    return Outcome(allowed=response.status_code == 200, detail=f"{response.status_code}")


def _refused(response: Any, expected_codes: tuple[int, ...] = (403, 404)) -> None:
    assert response.status_code in expected_codes, (response.status_code, response.content[:300])


def _changed(response: Any, succeeded: bool, ok_codes: tuple[int, ...]) -> Outcome:
    """A write either took effect with a success code, or was refused and left no trace.

    The API answers 400 when a related id (the organization of a new site, say) is one the
    user may not see: it does not reveal that the row exists.
    """
    if succeeded:
        assert response.status_code in ok_codes, (response.status_code, response.content[:300])
    else:
        _refused(response, (400, 403, 404) if isinstance(response, _ApiResponse) else (403, 404))
    return Outcome(allowed=succeeded, detail=f"{response.status_code}")


def _api_rows(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]  # type: ignore[no-any-return]


# --- the target records of organization A, and how each channel reaches them ----------------------


def _target(cast: Cast, model: str) -> Any:
    """A fresh copy of the record each time: an earlier role's rolled-back write leaves none."""
    makers: dict[str, Callable[[], Any]] = {
        "organization": lambda: cast.org_a,
        "site": lambda: cast.site_a_shared,
        "contact": lambda: cast.contact_a_shared,
        "relationship": lambda: cast.rel_a,
        "member": lambda: cast.member_row,
        "document": lambda: _document(cast),
        "user": lambda: cast.owner,
        "team": lambda: _team(cast),
        "token": lambda: _token(cast),
    }
    record = makers[model]()
    return type(record).objects.get(pk=record.pk)


def _document(cast: Cast) -> OrganizationDocument:
    document = OrganizationDocument.objects.filter(organization=cast.org_a).first()
    if document is None:
        document = OrganizationDocument(
            organization=cast.org_a,
            title="Company profile",
            original_name="profile.txt",
            content_type="text/plain",
            size=5,
            sha256="0" * 64,
            uploaded_by=cast.owner,
            shared_with_portal=True,
        )
        document.file.save("profile.txt", __import__("io").BytesIO(b"hello"), save=False)
        document.save()
    return document


def _team(cast: Cast) -> Team:
    team, _ = Team.objects.get_or_create(name="Metals category team", defaults={"lead": cast.owner})
    return team


def _token(cast: Cast) -> ApiToken:
    token = ApiToken.objects.filter(user=cast.owner, name="owner script").first()
    return token or api_token_create(actor=cast.owner, name="owner script")[0]


UI_LIST = {
    "organization": lambda c: "/organizations/?archived=all",
    "site": lambda c: f"/organizations/{c.org_a.pk}/?tab=sites",
    "contact": lambda c: "/contacts/",
    "relationship": lambda c: "/relationships/",
    "member": lambda c: f"/relationships/{c.rel_a.pk}/?tab=team",
    "document": lambda c: f"/organizations/{c.org_a.pk}/?tab=documents",
    "user": lambda c: "/people/",
    "team": lambda c: "/teams/",
    "token": lambda c: "/me/tokens/",
}
UI_DETAIL = {
    "organization": lambda c, o: f"/organizations/{o.pk}/",
    "site": lambda c, o: f"/sites/{o.pk}/",
    "contact": lambda c, o: f"/contacts/{o.pk}/",
    "relationship": lambda c, o: f"/relationships/{o.pk}/",
    "member": None,
    "document": lambda c, o: f"/documents/{o.pk}/download/",
    "user": lambda c, o: f"/people/{o.pk}/",
    "team": lambda c, o: f"/teams/{o.pk}/",
}
API_BASE = {
    "organization": "organizations",
    "site": "sites",
    "contact": "contacts",
    "relationship": "relationships",
    "member": "relationship-members",
    "user": "users",
    "team": "teams",
}


def _ui_marker(model: str, target: Any) -> str:
    if model == "member":
        return str(target.user.get_full_name())
    if model == "token":
        return target.prefix
    if model == "document":
        return f"/documents/{target.pk}/download/"
    if model == "user":
        return f"/people/{target.pk}/"
    if model == "team":
        return f"/teams/{target.pk}/"
    return f"{target.get_absolute_url()}"


def check_list(channel: str, model: str, cast: Cast, role: str) -> Outcome | None:
    user = cast.user(role)
    target = _target(cast, model)
    client = _client(channel, user)
    if channel == "ui":
        url = UI_LIST[model]
        if url is None:
            return None
        response = client.get(url(cast))
        if response.status_code in (403, 404):
            return Outcome(allowed=False, detail=str(response.status_code))
        return _seen(response, _ui_marker(model, target))
    if model not in API_BASE:
        return None
    response = client.get(f"/api/v1/{API_BASE[model]}/", {"page_size": 200})
    if response.status_code in (403, 404):
        return Outcome(allowed=False, detail=str(response.status_code))
    return Outcome(allowed=any(row["id"] == target.pk for row in _api_rows(response)), detail="200")


def check_detail(channel: str, model: str, cast: Cast, role: str) -> Outcome | None:
    client = _client(channel, cast.user(role))
    target = _target(cast, model)
    if channel == "ui":
        url = UI_DETAIL.get(model)
        return _visible(client.get(url(cast, target))) if url else None
    if model not in API_BASE:
        return None
    return _visible(client.get(f"/api/v1/{API_BASE[model]}/{target.pk}/"))


def _count(model: type[Any], **filters: Any) -> int:
    return int(model.objects.filter(**filters).count())


def _create_organization(client: Any, cast: Cast, ui: bool) -> Outcome:
    data = {"legal_name": "Matrix Test Oy", "tax_id": "FI99"}
    if ui:
        response = client.post("/organizations/new/", data)
    else:
        response = client.post("/api/v1/organizations/", data, format="json")
    created = _count(Organization, legal_name="Matrix Test Oy") == 1
    return _changed(response, created, (302,) if ui else (201,))


def _create_site(client: Any, cast: Cast, ui: bool) -> Outcome:
    data = {"name": "Matrix depot", "kind": "warehouse"}
    if ui:
        response = client.post(f"/organizations/{cast.org_a.pk}/sites/new/", data)
    else:
        data["organization"] = cast.org_a.pk
        response = client.post("/api/v1/sites/", data, format="json")
    return _changed(response, _count(Site, name="Matrix depot") == 1, (302,) if ui else (201,))


def _create_contact(client: Any, cast: Cast, ui: bool) -> Outcome:
    data: dict[str, Any] = {"first_name": "Mat", "last_name": "Rix"}
    if ui:
        response = client.post(f"/organizations/{cast.org_a.pk}/contacts/new/", data)
    else:
        data["organization"] = cast.org_a.pk
        response = client.post("/api/v1/contacts/", data, format="json")
    return _changed(response, _count(Contact, last_name="Rix") == 1, (302,) if ui else (201,))


def _create_relationship(client: Any, cast: Cast, ui: bool) -> Outcome:
    data = {"organization": cast.org_a.pk, "side": "demand", "tier": 2, "status": "prospect"}
    if ui:
        response = client.post("/relationships/new/", data)
    else:
        response = client.post("/api/v1/relationships/", data, format="json")
    created = _count(Relationship, organization=cast.org_a, side="demand") == 1
    return _changed(response, created, (302,) if ui else (201,))


def _create_member(client: Any, cast: Cast, ui: bool) -> Outcome:
    rel = cast.rel_a
    data: dict[str, Any] = {"user": cast.outsider.pk, "role": "finance", "access": "review"}
    if ui:
        # the team form redirects back to the team tab either way; the row tells what happened
        response = client.post(f"/relationships/{rel.pk}/team/", data)
        added = _count(RelationshipMember, relationship=rel, user=cast.outsider) == 1
        if not added:
            _refused(response)
        return Outcome(allowed=added, detail=str(response.status_code))
    data["relationship"] = rel.pk
    response = client.post("/api/v1/relationship-members/", data, format="json")
    added = _count(RelationshipMember, relationship=rel, user=cast.outsider) == 1
    return _changed(response, added, (201,))


def _create_document(client: Any, cast: Cast, ui: bool) -> Outcome | None:
    if not ui:
        return None
    upload = SimpleUploadedFile("matrix.txt", b"matrix evidence", content_type="text/plain")
    response = client.post(
        f"/organizations/{cast.org_a.pk}/documents/new/", {"title": "Matrix", "file": upload}
    )
    return _changed(response, _count(OrganizationDocument, title="Matrix") == 1, (302,))


def _create_user(client: Any, cast: Cast, ui: bool) -> Outcome:
    if not ui:
        response = client.post("/api/v1/users/", {"username": "x"}, format="json")
        assert response.status_code in (403, 405), response.status_code
        return Outcome(allowed=False, detail=str(response.status_code))
    data = {"username": "matrixuser", "email": "m@example.com", "password": "a-Long-pass-42x"}
    response = client.post("/people/new/", data)
    created = get_user_model().objects.filter(username="matrixuser").exists()
    return _changed(response, created, (302,))


def _create_token(client: Any, cast: Cast, ui: bool, role: str) -> Outcome | None:
    if not ui:
        return None
    response = client.post("/me/tokens/", {"name": "matrix"})
    created = ApiToken.objects.filter(user=cast.user(role), name="matrix").exists()
    return _changed(response, created, (200,))


def _create_team(client: Any, cast: Cast, ui: bool) -> Outcome | None:
    if not ui:
        return None
    response = client.post("/teams/new/", {"name": "Matrix squad", "lead": cast.owner.pk})
    return _changed(response, Team.objects.filter(name="Matrix squad").exists(), (302,))


CREATORS: dict[str, Callable[..., Outcome | None]] = {
    "team": _create_team,
    "organization": _create_organization,
    "site": _create_site,
    "contact": _create_contact,
    "relationship": _create_relationship,
    "member": _create_member,
    "document": _create_document,
    "user": _create_user,
}


def check_create(channel: str, model: str, cast: Cast, role: str) -> Outcome | None:
    client = _client(channel, cast.user(role))
    if model == "token":
        return _create_token(client, cast, channel == "ui", role)
    creator = CREATORS.get(model)
    return creator(client, cast, channel == "ui") if creator else None


def check_update(channel: str, model: str, cast: Cast, role: str) -> Outcome | None:
    client = _client(channel, cast.user(role))
    target = _target(cast, model)
    ui = channel == "ui"
    if model in ("user", "team") and not ui:
        response = client.patch(f"/api/v1/{API_BASE[model]}/{target.pk}/", {"name": "x"})
        assert response.status_code in (403, 404, 405), response.status_code
        return Outcome(allowed=False, detail=str(response.status_code))
    if model == "user":
        if not ui:
            response = client.patch(f"/api/v1/users/{target.pk}/", {"email": "x@example.com"})
            assert response.status_code in (403, 404, 405), response.status_code
            return Outcome(allowed=False, detail=str(response.status_code))
        data = {
            "email": "renamed@example.com",
            "first_name": "Re",
            "last_name": "Named",
            "version": target.profile.version,
        }
        response = client.post(f"/people/{target.pk}/edit/", data)
        target.refresh_from_db()
        return _changed(response, target.email == "renamed@example.com", (302,))
    forms: dict[str, Callable[[Any], tuple[str, dict[str, Any], str, Any]]] = {
        "organization": lambda t: (
            f"/organizations/{t.pk}/edit/",
            {"legal_name": t.legal_name, "tax_id": t.tax_id, "description": "matrix"},
            "description",
            "matrix",
        ),
        "site": lambda t: (
            f"/sites/{t.pk}/edit/",
            {"name": "Matrix HQ", "kind": "office"},
            "name",
            "Matrix HQ",
        ),
        "contact": lambda t: (
            f"/contacts/{t.pk}/edit/",
            {"first_name": t.first_name, "last_name": "Matrixson"},
            "last_name",
            "Matrixson",
        ),
        "relationship": lambda t: (
            f"/relationships/{t.pk}/edit/",
            {"tier": 1, "status": "active", "summary": "matrix"},
            "summary",
            "matrix",
        ),
        "member": lambda t: ("", {"role": "legal", "access": "edit"}, "role", "legal"),
        "team": lambda t: (
            f"/teams/{t.pk}/edit/",
            {"name": "Renamed squad", "lead": t.lead_id},
            "name",
            "Renamed squad",
        ),
    }
    if model not in forms:
        return None
    url, data, field, value = forms[model](target)
    if ui:
        if not url:
            return None
        response = client.post(url, {**data, "version": target.version})
    else:
        response = client.patch(
            f"/api/v1/{API_BASE[model]}/{target.pk}/",
            {field: value, "version": target.version},
            format="json",
        )
    target.refresh_from_db()
    return _changed(response, getattr(target, field) == value, (302,) if ui else (200,))


def check_delete(channel: str, model: str, cast: Cast, role: str) -> Outcome | None:
    client = _client(channel, cast.user(role))
    target = _target(cast, model)
    ui = channel == "ui"
    if model == "token":
        if not ui:
            return None
        response = client.post(f"/me/tokens/{target.pk}/revoke/")
        target.refresh_from_db()
        return _changed(response, target.revoked_at is not None, (302,))
    ui_urls = {
        "organization": f"/organizations/{target.pk}/archive/",
        "site": f"/sites/{target.pk}/archive/",
        "contact": f"/contacts/{target.pk}/archive/",
        "relationship": f"/relationships/{target.pk}/archive/",
        "member": f"/team-members/{target.pk}/remove/",
        "document": f"/documents/{target.pk}/archive/",
    }
    if model not in ui_urls or (not ui and model not in API_BASE):
        return None
    if model == "organization":
        # an organization with current subsidiaries cannot be archived; A has none
        assert not target.subsidiaries.active().exists()
    if ui:
        response = client.post(ui_urls[model], {"version": target.version})
    else:
        response = client.delete(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    target.refresh_from_db()
    return _changed(response, target.archived_at is not None, (302,) if ui else (204,))


CHECKS: dict[str, Callable[..., Outcome | None]] = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "update": check_update,
    "delete": check_delete,
}
MODELS = (
    "organization",
    "site",
    "contact",
    "relationship",
    "member",
    "document",
    "user",
    "team",
    "token",
)
CASES = [
    pytest.param(channel, model, action, id=f"{channel}-{model}-{action}")
    for channel in ("ui", "api")
    for model in MODELS
    for action in CHECKS
]


# The API lists people and teams but does not create or change them.
EXPECTED_API_OVERRIDES: dict[tuple[str, str], frozenset[str]] = {
    ("user", "create"): frozenset(),
    ("user", "update"): frozenset(),
    ("team", "update"): frozenset(),
}


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_permission_matrix(cast: Cast, channel: str, model: str, action: str) -> None:
    expected = EXPECTED.get((model, action))
    if channel == "api":
        expected = EXPECTED_API_OVERRIDES.get((model, action), expected)
    mismatches, tried = [], 0
    for role in ROLES:
        # Each role acts on the same starting state: its writes are rolled back afterwards.
        with transaction.atomic():
            outcome = CHECKS[action](channel, model, cast, role)
            transaction.set_rollback(True)
        if outcome is None:
            continue
        tried += 1
        assert expected is not None, f"no expectation written for {model} {action}"
        if outcome.allowed != (role in expected):
            verb = "allowed" if outcome.allowed else "denied"
            mismatches.append(f"{role} was {verb} ({outcome.detail})")
    if tried == 0:
        pytest.skip(f"{model} has no {action} through the {channel}")
    assert not mismatches, f"{channel} {model} {action}: " + "; ".join(mismatches)


def test_every_restricted_model_is_in_the_matrix() -> None:
    from steward.core.access import restricted_models

    covered = {
        Organization,
        Site,
        Contact,
        Relationship,
        RelationshipMember,
        OrganizationDocument,
        Team,
        ApiToken,
    }
    from steward.people.models import Profile

    covered.add(Profile)  # as "user": a person and their profile are one record to people
    missing = {m.__name__ for m in restricted_models()} - {m.__name__ for m in covered}
    assert not missing, f"add these models to the permission matrix: {sorted(missing)}"

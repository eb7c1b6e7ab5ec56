"""Services: recording responses, the survey link's flow, the import."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from steward.accounts.tests.world import DemandWorld
from steward.core.errors import DomainError, DuplicateError
from steward.core.tabular import ImportRefused
from steward.parties.models import Relationship
from steward.parties.tests.cast import Cast
from steward.parties.tests.factories import ContactFactory
from steward.satisfaction.choices import ResponseChannel
from steward.satisfaction.models import SatisfactionResponse, SurveyRequest
from steward.satisfaction.services.imports import responses_import
from steward.satisfaction.services.requests import (
    LinkUnusable,
    hash_token,
    survey_answer,
    survey_request_for_token,
    survey_request_send,
)
from steward.satisfaction.services.responses import response_record, response_update

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


# --- recording ----------------------------------------------------------------------------------


def test_owner_records_a_response(cast: Cast, world: DemandWorld) -> None:
    made = response_record(
        actor=cast.owner,
        relationship=world.account_a,
        kind="nps",
        score=9,
        answered_on=TODAY(),
        contact=cast.contact_a_private,
    )
    assert made.entered_by == cast.owner
    assert made.channel == ResponseChannel.ENTERED
    assert made.respondent_email == cast.contact_a_private.email.lower()
    assert made.history.count() == 1


@pytest.mark.parametrize(
    ("kind", "score", "field"),
    [("csat", 0, "score"), ("csat", 6, "score"), ("nps", 11, "score"), ("nps", -1, "score"),
     ("ces", 3, "kind")],
)  # fmt: skip
def test_score_out_of_range_names_the_field(
    cast: Cast, world: DemandWorld, kind: str, score: int, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        response_record(
            actor=cast.owner,
            relationship=world.account_a,
            kind=kind,
            score=score,
            answered_on=TODAY(),
        )
    assert refused.value.field == field
    assert not SatisfactionResponse.objects.exists()


def test_contact_of_another_organization_is_refused(cast: Cast, world: DemandWorld) -> None:
    with pytest.raises(DomainError) as refused:
        response_record(
            actor=cast.owner,
            relationship=world.account_a,
            kind="csat",
            score=4,
            answered_on=TODAY(),
            contact=cast.contact_b,
        )
    assert refused.value.field == "contact"


def test_future_day_and_supply_side_are_refused(cast: Cast, world: DemandWorld) -> None:
    with pytest.raises(DomainError, match="future"):
        response_record(
            actor=cast.owner,
            relationship=world.account_a,
            kind="csat",
            score=4,
            answered_on=TODAY() + dt.timedelta(days=1),
        )
    with pytest.raises(DomainError) as refused:
        response_record(
            actor=cast.owner, relationship=cast.rel_a, kind="csat", score=4, answered_on=TODAY()
        )
    assert refused.value.code == "not_account"


def test_same_respondent_same_day_is_a_duplicate(cast: Cast, world: DemandWorld) -> None:
    fields: dict[str, Any] = {
        "relationship": world.account_a,
        "kind": "nps",
        "score": 9,
        "answered_on": TODAY(),
        "contact": cast.contact_a_private,
    }
    response_record(actor=cast.owner, **fields)
    with pytest.raises(DuplicateError):
        response_record(actor=cast.owner, **fields)


def test_peer_and_reviewer_may_not_record(cast: Cast, world: DemandWorld) -> None:
    for user in (cast.outsider, cast.reviewer, cast.auditor):
        with pytest.raises(PermissionDenied):
            response_record(
                actor=user, relationship=world.account_a, kind="nps", score=5, answered_on=TODAY()
            )


def test_update_checks_the_range_and_the_version(cast: Cast, world: DemandWorld) -> None:
    made = response_record(
        actor=cast.member, relationship=world.account_a, kind="csat", score=3, answered_on=TODAY()
    )
    with pytest.raises(DomainError) as refused:
        response_update(actor=cast.member, response=made, expected_version=1, score=9)
    assert refused.value.field == "score"
    changed = response_update(actor=cast.member, response=made, expected_version=1, score=5)
    assert (changed.score, changed.version) == (5, 2)
    with pytest.raises(DomainError) as stale:
        response_update(actor=cast.member, response=made, expected_version=1, score=4)
    assert stale.value.code == "stale_version"


# --- survey links -------------------------------------------------------------------------------


def _sent(cast: Cast, world: DemandWorld, **kwargs: Any) -> tuple[SurveyRequest, str]:
    request, link = survey_request_send(
        actor=cast.owner, relationship=world.account_a, contact=cast.contact_a_private, **kwargs
    )
    return request, link.rstrip("/").rsplit("/", 1)[-1]


def test_send_stores_only_the_hash_and_mails_the_link(
    cast: Cast, world: DemandWorld, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request, link = survey_request_send(
            actor=cast.owner, relationship=world.account_a, contact=cast.contact_a_private
        )
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert request.token_hash == hash_token(token)
    assert token not in request.token_hash
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cast.contact_a_private.email]
    assert link in mail.outbox[0].body
    assert request.expires_at.date() == (timezone.now() + dt.timedelta(days=30)).date()
    # The history does not keep the hash either
    assert not hasattr(request.history.first(), "token_hash")


def test_send_refuses_a_contact_without_email_or_of_another_company(
    cast: Cast, world: DemandWorld
) -> None:
    no_mail = ContactFactory(organization=cast.org_a, email="")
    with pytest.raises(DomainError) as refused:
        survey_request_send(actor=cast.owner, relationship=world.account_a, contact=no_mail)
    assert refused.value.code == "no_email"
    with pytest.raises(DomainError) as refused:
        survey_request_send(actor=cast.owner, relationship=world.account_a, contact=cast.contact_b)
    assert refused.value.field == "contact"
    with pytest.raises(PermissionDenied):
        survey_request_send(
            actor=cast.outsider, relationship=world.account_a, contact=cast.contact_a_private
        )
    assert not SurveyRequest.objects.exists()


def test_answer_once_through_the_link(cast: Cast, world: DemandWorld) -> None:
    request, token = _sent(cast, world)
    made = survey_answer(token=token, scores={"nps": "3", "csat": 2}, comment=" Slow support ")
    assert sorted((r.kind, r.score) for r in made) == [("csat", 2), ("nps", 3)]
    assert {r.channel for r in made} == {ResponseChannel.LINK}
    assert {r.entered_by for r in made} == {None}
    assert {r.comment for r in made} == {"Slow support"}
    request.refresh_from_db()
    assert request.answered_at is not None
    # Reused: 410, nothing more written
    with pytest.raises(LinkUnusable) as used:
        survey_answer(token=token, scores={"nps": 10, "csat": 5})
    assert used.value.gone
    assert SatisfactionResponse.objects.count() == 2


def test_expired_unknown_and_tampered_links_write_nothing(cast: Cast, world: DemandWorld) -> None:
    request, token = _sent(cast, world)
    later = timezone.now() + dt.timedelta(days=31)
    with pytest.raises(LinkUnusable) as expired:
        survey_request_for_token(token, now=later)
    assert expired.value.gone
    SurveyRequest.objects.filter(pk=request.pk).update(expires_at=timezone.now())
    with pytest.raises(LinkUnusable):
        survey_answer(token=token, scores={"nps": 10, "csat": 5})
    for bad in ("", "nope", token[:-1] + ("A" if token[-1] != "A" else "B"), "x" * 500):
        with pytest.raises(LinkUnusable) as unknown:
            survey_answer(token=bad, scores={"nps": 10, "csat": 5})
        assert not unknown.value.gone
    assert not SatisfactionResponse.objects.exists()


def test_answer_must_give_every_score_in_range(cast: Cast, world: DemandWorld) -> None:
    _request, token = _sent(cast, world, kinds=["nps"])
    with pytest.raises(DomainError) as missing:
        survey_answer(token=token, scores={})
    assert missing.value.field == "nps"
    with pytest.raises(DomainError) as wrong:
        survey_answer(token=token, scores={"nps": 11})
    assert wrong.value.field == "score"
    assert not SatisfactionResponse.objects.exists()
    assert len(survey_answer(token=token, scores={"nps": 10, "csat": 1})) == 1


# --- import ------------------------------------------------------------------------------------


def _csv(*lines: str) -> io.BytesIO:
    return io.BytesIO(("\n".join(lines) + "\n").encode())


HEADER = "account,contact_email,kind,score,answered_on,comment"


def test_import_all_or_nothing_then_idempotent(cast: Cast, world: DemandWorld) -> None:
    account: Relationship = world.account_a
    email = cast.contact_a_private.email.upper()
    rows = [
        HEADER,
        f"{account.pk},{email},nps,9,2026-01-05,Great",
        f"{account.organization.display_name},,csat,4,2026-01-06,",
        f"{account.pk},,nps,2,2026-01-07,",
    ]
    result = responses_import(actor=cast.owner, file=_csv(*rows), filename="r.csv")
    assert (result.created, result.skipped) == (3, 0)
    first = SatisfactionResponse.objects.get(kind="nps", score=9)
    assert first.contact == cast.contact_a_private
    assert first.channel == ResponseChannel.IMPORTED
    again = responses_import(actor=cast.owner, file=_csv(*rows), filename="r.csv")
    assert (again.created, again.skipped) == (0, 3)
    assert SatisfactionResponse.objects.count() == 3


def test_import_names_row_and_column_of_every_error(cast: Cast, world: DemandWorld) -> None:
    account = world.account_a
    rows = [
        HEADER,
        f"{account.pk},,nps,9,2026-01-05,",  # good
        f"{world.account_b.pk},,nps,9,2026-01-05,",  # a peer's account
        f"{account.pk},,csat,6,2026-01-05,",  # out of range
        f"{account.pk},,ces,3,2026-01-05,",  # unknown kind
        f"{account.pk},nobody@else.example,nps,5,05/01/2026,",  # unknown contact, bad date
    ]
    with pytest.raises(ImportRefused) as refused:
        responses_import(actor=cast.owner, file=_csv(*rows), filename="r.csv")
    where = [(e.row, e.column) for e in refused.value.errors]
    assert where == [
        (3, "account"),
        (4, "score"),
        (5, "kind"),
        (6, "contact_email"),
        (6, "answered_on"),
    ]
    assert not SatisfactionResponse.objects.exists()


def test_import_refuses_a_file_without_the_columns(cast: Cast, world: DemandWorld) -> None:
    with pytest.raises(ImportRefused) as refused:
        responses_import(actor=cast.owner, file=_csv("account,score", "1,2"), filename="r.csv")
    assert "kind" in str(refused.value.errors[0])

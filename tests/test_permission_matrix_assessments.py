"""The permission matrix for security assessments and the questionnaire library (issue 7).

The same approach as tests/test_permission_matrix.py, whose cast and helpers this module reuses:
expectations are written out by hand from the policy's rules (access.py and the models' access
specs), every role acts on the same starting state (its writes are rolled back), an allowed role
gets the row or the change, a denied role gets neither and the database is untouched.

The cast has no IT security person: this module adds ``it_security`` (an inside user whose
profile function is IT security, with no job role) and walks ``ROLES + ("it_security",)``.

The rules, as the policy states them:

- the library (templates, versions, sections, questions) is read by every inside user and kept
  by administrators and IT security; portal users see none of it;
- an assessment follows its vendor: whoever may see vendor A sees A's assessments, whoever may
  change vendor A starts, sends and cancels them; IT security sees and changes every one;
  A's portal users see A's assessments once sent, and nothing of vendor B's;
- answers and evidence follow the assessment; only A's portal users answer and upload (while
  the assessment is open to them); only IT security and administrators give verdicts;
- evidence files are reached only through a download that asks the policy (404 otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from steward.assessments import services
from steward.assessments.models import (
    Answer,
    AnswerEvidence,
    Assessment,
    Question,
    QuestionnaireTemplate,
    Section,
    TemplateVersion,
)
from steward.assessments.tests.factories import (
    World,
    answered,
    build_world,
    pdf_file,
    sent,
    small_version,
)
from steward.parties.tests.cast import ROLES, Cast
from tests.test_permission_matrix import INTERNAL, REL_A_EDITORS, REL_A_READERS, Outcome, _client

pytestmark = [pytest.mark.matrix, pytest.mark.django_db]

MATRIX_ROLES = (*ROLES, "it_security")
IT_SECURITY = frozenset({"it_security"})
INSIDE = INTERNAL | IT_SECURITY
KEEPERS = frozenset({"admin"}) | IT_SECURITY  # the library's keepers, and the reviewers
A_READERS = REL_A_READERS | IT_SECURITY | {"portal_a"}
A_CHANGERS = REL_A_EDITORS | IT_SECURITY

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("template", "list"): INSIDE,
    ("template", "detail"): INSIDE,
    ("template", "create"): KEEPERS,
    ("template", "update"): KEEPERS,
    ("template", "delete"): KEEPERS,
    # a version is made as the next draft of a template, and "changed" by publishing it
    ("template_version", "list"): INSIDE,
    ("template_version", "detail"): INSIDE,
    ("template_version", "create"): KEEPERS,
    ("template_version", "update"): KEEPERS,
    ("section", "list"): INSIDE,
    ("section", "detail"): INSIDE,
    ("section", "create"): KEEPERS,
    ("section", "update"): KEEPERS,
    ("question", "list"): INSIDE,
    ("question", "detail"): INSIDE,
    ("question", "create"): KEEPERS,
    ("question", "update"): KEEPERS,
    ("question", "delete"): KEEPERS,
    # vendor A's submitted assessment; "update" is cancelling it
    ("assessment", "list"): A_READERS,
    ("assessment", "detail"): A_READERS,
    # IT security reads every vendor, so it starts assessments on A too.
    ("assessment", "create"): A_CHANGERS,
    ("assessment", "update"): A_CHANGERS,
    # its answers: only A's portal user answers (an open assessment); "update" is a verdict
    ("answer", "list"): A_READERS,
    ("answer", "detail"): A_READERS,
    ("answer", "create"): frozenset({"portal_a"}),
    ("answer", "update"): KEEPERS,
    ("evidence", "list"): A_READERS,
    ("evidence", "detail"): A_READERS,
    ("evidence", "create"): frozenset({"portal_a"}),
}


@dataclass
class Matrix:
    base: World
    it_security: Any
    draft: TemplateVersion
    section: Section
    question: Question
    assessment: Assessment
    open_assessment: Assessment
    answer: Answer
    evidence: AnswerEvidence

    @property
    def cast(self) -> Cast:
        return self.base.cast

    def user(self, role: str) -> Any:
        return self.it_security if role == "it_security" else self.cast.user(role)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def matrix(cast: Cast) -> Matrix:
    base = build_world(cast)
    draft_version = small_version(base.secops, name="Matrix draft")
    draft = services.template_draft_version(actor=base.secops, template=draft_version.template)
    section = draft.sections.get(title="Access")
    assessment = answered(base, sent(base), cast.portal_a)
    open_assessment = sent(base)
    return Matrix(
        base=base,
        it_security=base.secops,
        draft=draft,
        section=section,
        question=section.questions.get(ref="A1"),
        assessment=assessment,
        open_assessment=open_assessment,
        answer=Answer.objects.get(assessment=assessment, question__ref="D2"),
        evidence=AnswerEvidence.objects.get(answer__assessment=assessment),
    )


TARGETS: dict[str, Callable[[Matrix], Any]] = {
    "template": lambda m: m.draft.template,
    "template_version": lambda m: m.draft,
    "section": lambda m: m.section,
    "question": lambda m: m.question,
    "assessment": lambda m: m.assessment,
    "answer": lambda m: m.answer,
    "evidence": lambda m: m.evidence,
}
API_BASE = {
    "template": "assessment-templates",
    "template_version": "assessment-template-versions",
    "section": "assessment-sections",
    "question": "assessment-questions",
    "assessment": "assessments",
    "answer": "assessment-answers",
    "evidence": "assessment-evidence",
}


def _target(m: Matrix, model: str) -> Any:
    record = TARGETS[model](m)
    return type(record).objects.get(pk=record.pk)


def _is_portal(role: str) -> bool:
    return role.startswith("portal_")


# --- reading -----------------------------------------------------------------------------------


def _ui_pages(m: Matrix, model: str, t: Any, role: str) -> tuple[str, str] | None:
    """(page, what it shows of the record) through the web interface, for this role."""
    pages: dict[str, Callable[[], tuple[str, str]]] = {
        "template": lambda: ("/assessments/templates/", f"/assessments/templates/{t.pk}/"),
        "template_version": lambda: (
            f"/assessments/templates/{t.template_id}/",
            f"/assessments/versions/{t.pk}/",
        ),
        "section": lambda: (f"/assessments/versions/{t.template_version_id}/", t.title),
        "question": lambda: (
            f"/assessments/versions/{t.section.template_version_id}/",
            t.text,
        ),
        "assessment": lambda: (
            ("/portal/assessments/", f"/portal/assessments/{t.pk}/")
            if _is_portal(role)
            else ("/assessments/", f"/assessments/{t.pk}/")
        ),
        "answer": lambda: (
            (f"/portal/assessments/{t.assessment_id}/", "Nightly, kept 30 days.")
            if _is_portal(role)
            else (f"/assessments/{t.assessment_id}/", "Nightly, kept 30 days.")
        ),
        "evidence": lambda: (
            (f"/portal/assessments/{t.answer.assessment_id}/", f"/evidence/{t.pk}/download/")
            if _is_portal(role)
            else (f"/assessments/{t.answer.assessment_id}/", f"/evidence/{t.pk}/download/")
        ),
    }
    return pages[model]()


def _ui_detail(m: Matrix, model: str, t: Any, role: str) -> str | None:
    urls: dict[str, Callable[[], str | None]] = {
        "template": lambda: f"/assessments/templates/{t.pk}/",
        "template_version": lambda: f"/assessments/versions/{t.pk}/",
        "assessment": lambda: (
            f"/portal/assessments/{t.pk}/" if _is_portal(role) else f"/assessments/{t.pk}/"
        ),
        "evidence": lambda: f"/assessments/evidence/{t.pk}/download/",
    }
    maker = urls.get(model)
    return maker() if maker else None


def _shown(response: Any, marker: str) -> Outcome:
    assert response.status_code in (200, 403, 404), (response.status_code, response.content[:300])
    body = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    return Outcome(
        allowed=response.status_code == 200 and marker in body.decode(errors="replace"),
        detail=str(response.status_code),
    )


def check_list(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    target = _target(m, model)
    client = _client(channel, m.user(role))
    if channel == "ui":
        page = _ui_pages(m, model, target, role)
        return _shown(client.get(page[0]), page[1]) if page else None
    response = client.get(f"/api/v1/{API_BASE[model]}/", {"page_size": 200})
    assert response.status_code == 200, response.content[:300]
    rows = response.json()["results"]
    return Outcome(allowed=any(row["id"] == target.pk for row in rows), detail="200")


def check_detail(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    target = _target(m, model)
    client = _client(channel, m.user(role))
    if channel == "ui":
        url = _ui_detail(m, model, target, role)
        if url is None:
            return None
        marker = "%PDF" if model == "evidence" else str(target)[:20]
        if model == "assessment":
            marker = target.template_version.template.name
        return _shown(client.get(url), marker)
    urls = [f"/api/v1/{API_BASE[model]}/{target.pk}/"]
    if model == "evidence":
        urls.append(f"/api/v1/{API_BASE[model]}/{target.pk}/download/")
    seen = [client.get(url).status_code for url in urls]
    assert all(code in (200, 403, 404) for code in seen), seen
    assert len(set(seen)) == 1, f"mixed: {seen}"
    return Outcome(allowed=seen[0] == 200, detail=str(seen[0]))


# --- writing -----------------------------------------------------------------------------------


def _outcome(response: Any, made: bool, ok: tuple[int, ...]) -> Outcome:
    """A write took effect with a success code, or was refused (a page may re-render its form
    with the refusal: 200 without a change) and left no trace."""
    code = response.status_code
    if made:
        assert code in ok, (code, response.content[:300])
    else:
        assert code in (200, 400, 403, 404), (code, response.content[:300])
    return Outcome(allowed=made, detail=str(code))


def _api_post(client: Any, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
    return client.post(f"/api/v1/{path}", data, format=kwargs.get("format", "json"))


def check_create(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    client = _client(channel, m.user(role))
    ui = channel == "ui"
    if model == "assessment":
        before = Assessment.objects.count()
        if ui:
            response = client.post(
                "/assessments/new/",
                {"supplier": m.base.vendor_a.pk, "template_version": m.base.version.pk},
            )
        else:
            response = _api_post(
                client,
                "assessments/",
                {"supplier": m.base.vendor_a.pk, "template_version": m.base.version.pk},
            )
        return _outcome(response, Assessment.objects.count() > before, (302, 201))
    if ui and model in ("answer", "evidence"):
        question = m.base.q("A1")
        counts = (Answer.objects.count(), AnswerEvidence.objects.count())
        data: dict[str, Any] = {f"q-{question.pk}": "yes", "save": "1"}
        if model == "evidence":
            data = {f"f-{question.pk}": pdf_file(), "save": "1"}
        response = client.post(f"/portal/assessments/{m.open_assessment.pk}/", data)
        after = (Answer.objects.count(), AnswerEvidence.objects.count())
        made = after[0] > counts[0] if model == "answer" else after[1] > counts[1]
        return _outcome(response, made, (302,))
    if ui:
        return None  # the library is kept through the API
    return _api_create(client, model, m)


def _api_create(client: Any, model: str, m: Matrix) -> Outcome:
    question = m.base.q("A1")
    calls: dict[str, tuple[type[Any], Callable[[], Any]]] = {
        "template": (
            QuestionnaireTemplate,
            lambda: _api_post(client, "assessment-templates/", {"name": "M", "depth": "light"}),
        ),
        "template_version": (
            TemplateVersion,
            lambda: client.post(
                f"/api/v1/assessment-templates/{m.base.version.template_id}/draft/"
            ),
        ),
        "section": (
            Section,
            lambda: _api_post(
                client, "assessment-sections/", {"template_version": m.draft.pk, "title": "New"}
            ),
        ),
        "question": (
            Question,
            lambda: _api_post(
                client,
                "assessment-questions/",
                {"section": m.section.pk, "ref": "N1", "text": "New?", "answer_type": "yes_no"},
            ),
        ),
        "answer": (
            Answer,
            lambda: _api_post(
                client,
                "assessment-answers/",
                {"assessment": m.open_assessment.pk, "question": question.pk, "value": "yes"},
            ),
        ),
        "evidence": (
            AnswerEvidence,
            lambda: _api_post(
                client,
                "assessment-evidence/",
                {"assessment": m.open_assessment.pk, "question": question.pk, "file": pdf_file()},
                format="multipart",
            ),
        ),
    }
    model_class, call = calls[model]
    before = model_class.objects.count()
    response = call()
    return _outcome(response, model_class.objects.count() > before, (201,))


def check_update(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    client = _client(channel, m.user(role))
    target = _target(m, model)
    ui = channel == "ui"
    if model == "assessment":
        url = (
            f"/assessments/{target.pk}/cancel/"
            if ui
            else f"/api/v1/assessments/{target.pk}/cancel/"
        )
        response = client.post(url, {"note": "Matrix"})
        made = Assessment.objects.get(pk=target.pk).status == "cancelled"
        return _outcome(response, made, (302, 200))
    if model == "answer":
        url = (
            f"/assessments/answers/{target.pk}/review/"
            if ui
            else f"/api/v1/assessment-answers/{target.pk}/review/"
        )
        response = client.post(url, {"verdict": "accepted"})
        made = Answer.objects.get(pk=target.pk).verdict == "accepted"
        return _outcome(response, made, (302, 200))
    if ui or model == "evidence":
        return None  # the library is kept through the API; evidence is never changed
    if model == "template_version":
        response = client.post(f"/api/v1/assessment-template-versions/{target.pk}/publish/")
        made = TemplateVersion.objects.get(pk=target.pk).status == "published"
        return _outcome(response, made, (200,))
    fields = {"template": "description", "section": "title", "question": "text"}[model]
    response = client.patch(
        f"/api/v1/{API_BASE[model]}/{target.pk}/",
        {fields: "Changed by the matrix", "version": target.version},
        format="json",
    )
    made = getattr(type(target).objects.get(pk=target.pk), fields) == "Changed by the matrix"
    return _outcome(response, made, (200,))


def check_delete(channel: str, model: str, m: Matrix, role: str) -> Outcome | None:
    if channel == "ui" or model not in ("template", "question"):
        return None
    client = _client(channel, m.user(role))
    target = _target(m, model)
    response = client.delete(f"/api/v1/{API_BASE[model]}/{target.pk}/")
    made = type(target).objects.get(pk=target.pk).archived_at is not None
    return _outcome(response, made, (204,))


CHECKS = {
    "list": check_list,
    "detail": check_detail,
    "create": check_create,
    "update": check_update,
    "delete": check_delete,
}
MODELS = tuple(TARGETS)
CASES = [
    pytest.param(channel, model, action, id=f"{channel}-{model}-{action}")
    for channel in ("ui", "api")
    for model in MODELS
    for action in CHECKS
]

# The restricted models this module covers, for the main module's completeness check.
COVERED_MODELS = frozenset(
    {
        QuestionnaireTemplate,
        TemplateVersion,
        Section,
        Question,
        Assessment,
        Answer,
        AnswerEvidence,
    }
)


@pytest.mark.parametrize(("channel", "model", "action"), CASES)
def test_assessments_permission_matrix(
    matrix: Matrix, channel: str, model: str, action: str
) -> None:
    expected = EXPECTED.get((model, action))
    mismatches, tried = [], 0
    for role in MATRIX_ROLES:
        # Each role acts on the same starting state: its writes are rolled back afterwards.
        with transaction.atomic():
            outcome = CHECKS[action](channel, model, matrix, role)
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


def test_every_expectation_is_checked() -> None:
    assert {model for model, _ in EXPECTED} == set(MODELS)


# --- portal B: nothing of A's, whatever it guesses --------------------------------------------


def test_portal_b_reaches_nothing_of_vendor_a(matrix: Matrix) -> None:
    m = matrix
    client = _client("ui", m.cast.portal_b)
    api = _client("api", m.cast.portal_b)
    a = m.assessment
    for url in (
        f"/portal/assessments/{a.pk}/",
        f"/portal/assessments/{m.open_assessment.pk}/",
        f"/assessments/{a.pk}/",
        f"/assessments/evidence/{m.evidence.pk}/download/",
        f"/api/v1/assessments/{a.pk}/",
        f"/api/v1/assessment-answers/{m.answer.pk}/",
        f"/api/v1/assessment-evidence/{m.evidence.pk}/",
        f"/api/v1/assessment-evidence/{m.evidence.pk}/download/",
    ):
        response = (api if url.startswith("/api/") else client).get(url)
        assert response.status_code == 404, url
    name = m.base.vendor_a.relationship.organization.display_name
    for url in (
        "/api/v1/assessments/",
        f"/api/v1/assessments/?q={name}",
        "/api/v1/assessment-answers/",
        f"/api/v1/assessment-answers/?assessment={a.pk}",
        "/api/v1/assessment-evidence/",
    ):
        assert api.get(url).json()["results"] == [], url
    page = client.get("/portal/assessments/").content.decode()
    assert f"/portal/assessments/{a.pk}/" not in page
    search = client.get("/search/", {"q": name})
    assert f"/portal/assessments/{a.pk}/" not in search.content.decode()
    # and a draft of vendor A stays hidden from A's own portal user until it is sent
    draft = services.assessment_create(
        actor=m.cast.owner,
        supplier=m.base.vendor_a,
        template_version=m.base.version,
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )
    mine = _client("api", m.cast.portal_a)
    assert mine.get(f"/api/v1/assessments/{draft.pk}/").status_code == 404

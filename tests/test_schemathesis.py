"""Property tests of the API against its own OpenAPI schema (schemathesis, in process).

Schemathesis generates requests for every operation of /api/schema/ (valid and invalid ones)
and sends them to the WSGI application, authenticated with a real API token of an
administrator over the shared test cast. Its default checks must hold: no 5xx, and every status
code, header, content type and body as the schema describes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from steward.parties.tests.cast import Cast
from steward.people.services import api_token_create

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]


@pytest.fixture
def token(cast: Cast) -> str:
    return api_token_create(actor=cast.admin, name="schemathesis")[1]


@pytest.fixture(autouse=True)
def app_on_the_test_connection() -> Iterator[None]:
    # The application runs in this thread on the test's database connection, inside the test's
    # transaction; Django must not close that connection at the end of each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Loaded once at collection: serving the schema reads no database rows. Each operation
# becomes a test of its own.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
# The coverage phase walks every boundary of every query parameter (minutes on a list with a
# dozen filters); examples and bounded fuzzing keep the whole run near half a minute.
schema.config.phases.coverage.enabled = False


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case: Any, cast: Cast, token: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
    )

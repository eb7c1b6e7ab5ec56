"""Helpers the test suites share: signed-in clients and readers of the API's answers."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from rest_framework.test import APIClient


def web_client(user: Any) -> Client:
    """A browser session signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def api_client(user: Any) -> APIClient:
    """An API client authenticated as ``user`` (no session, no token)."""
    client = APIClient()
    client.force_authenticate(user)
    return client


def api_errors(response: Any) -> list[tuple[str | None, str]]:
    """(attr, code) of every error in the API's one error shape.

    Reads the body itself, so a response rendered by a view called directly serves as well as
    one from a test client.
    """
    body = json.loads(response.content)
    assert set(body) == {"type", "errors"}, body
    return [(error["attr"], error["code"]) for error in body["errors"]]


def result_ids(response: Any) -> list[int]:
    """The ids of one page of a successful list answer, in order."""
    assert response.status_code == 200, response.content[:300]
    return [row["id"] for row in response.json()["results"]]

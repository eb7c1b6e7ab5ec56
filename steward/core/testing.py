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


def migration_code_run(using: str = "default") -> int:
    """Run every migration's code (``RunPython``) on a database built from the models.

    The test databases are created from the models (pytest-django's ``--no-migrations``):
    rendering the state of each of some three hundred migration steps takes minutes per
    database, and ``makemigrations --check`` keeps models and migrations one schema. What only
    the migrations' code adds (seed rows, triggers, SQLite table options) is added here, in the
    migrations' order, with the historical models each step saw.
    Returns how many operations ran.
    """
    from django.db import connections
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython
    from django.test.utils import override_settings

    connection = connections[using]
    with override_settings(MIGRATION_MODULES={}):  # --no-migrations hides them otherwise
        loader = MigrationLoader(connection, ignore_no_migrations=True)
    plan: list[tuple[str, str]] = []
    for leaf in sorted(loader.graph.leaf_nodes()):
        plan.extend(key for key in loader.graph.forwards_plan(leaf) if key not in plan)
    ran = 0
    with connection.schema_editor() as editor:
        for key in plan:
            migration = loader.graph.nodes[key]
            code = [op for op in migration.operations if isinstance(op, RunPython)]
            # Other packages' data migrations only rewrite rows, and a new database has none.
            if not code or not type(migration).__module__.startswith("steward."):
                continue
            # Each piece of code sees the models as they stood at its place in the migration.
            state = loader.project_state(key, at_end=False)
            for operation in migration.operations:
                if isinstance(operation, RunPython):
                    operation.code(state.apps, editor)
                    ran += 1
                else:
                    operation.state_forwards(migration.app_label, state)
    return ran

"""Background jobs of spend: thin, idempotent, calling services."""

from __future__ import annotations

from django_tasks import task

from steward.spend.models import SpendImport


@task()
def spend_import_job(*, batch_id: int) -> str:
    """Run a queued import; returns its status. Safe to run twice: a finished import (done,
    refused, failed) is left as it is, and the ledger never stores a line twice."""
    from steward.spend.services.imports import spend_import_run

    batch = SpendImport.objects.filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    return str(spend_import_run(batch=batch).status)


def schedule() -> None:
    """Periodic jobs (none yet); the import job is enqueued by the import service."""

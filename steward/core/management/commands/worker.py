"""`steward worker`: run queued background tasks and enqueue periodic jobs when they fall due.

Start one on every machine that should do background work; they share the queue in the
database, and the schedule's (job, slot) claim keeps them from enqueueing a slot twice.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db import DatabaseBackend

from steward.core.schedule import Scheduler, periodic_jobs

logger = logging.getLogger("steward.worker")


class SchedulerThread(threading.Thread):
    """Ticks the scheduler every ``every`` seconds beside the task loop, with its own connection."""

    def __init__(self, scheduler: Scheduler, every: float) -> None:
        super().__init__(name="steward-scheduler", daemon=True)
        self.scheduler = scheduler
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.scheduler.tick()
            except Exception:
                # The database may be away for a moment; the next tick tries again.
                logger.exception("The scheduler tick failed")
            finally:
                connections.close_all()
            self.stopped.wait(self.every)


class Command(BaseCommand):
    help = (
        "Run background tasks from the database queue and enqueue periodic jobs when due. "
        "Run one or more on any number of machines."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Enqueue the periodic jobs that are due, run every pending task, then exit.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait for new tasks when the queue is empty (default: 1).",
        )
        parser.add_argument(
            "--schedule-every",
            type=float,
            default=30.0,
            help="Seconds between two looks at the periodic schedule (default: 30).",
        )
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Only run tasks; leave periodic jobs to other workers.",
        )
        parser.add_argument(
            "--queue-name",
            default="default",
            help="Queues to take tasks from, separated by commas; '*' for all (default: default).",
        )
        parser.add_argument("--worker-id", default=None, help="A unique name for this worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                "steward worker needs the database task backend; "
                f"STEWARD_TASKS_BACKEND is {type(backend).__module__}.{type(backend).__name__}."
            )
        if options["interval"] < 0 or options["schedule_every"] <= 0:
            raise CommandError("--interval must be 0 or more and --schedule-every above 0.")
        worker_options: dict[str, Any] = {
            "queue_name": options["queue_name"],
            "interval": options["interval"],
            "reload": False,
            "verbosity": options["verbosity"],
        }
        if options["worker_id"]:
            worker_options["worker_id"] = options["worker_id"]
        scheduler = Scheduler()
        if options["once"]:
            if not options["no_schedule"]:
                claimed = scheduler.tick()
                self.stdout.write(f"Enqueued {len(claimed)} periodic job(s).")
            call_command("db_worker", batch=True, startup_delay=False, **worker_options)
            return
        if not options["no_schedule"]:
            jobs = ", ".join(f"{job.name} ({job.cadence.describe()})" for job in periodic_jobs())
            self.stdout.write(f"Schedule: {jobs or 'no periodic jobs registered'}")
            SchedulerThread(scheduler, options["schedule_every"]).start()
        call_command("db_worker", **worker_options)

"""`steward createuser`: add a person from the command line (trusted: no acting user)."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.core.errors import DomainError
from steward.people.choices import JobRole
from steward.people.services import user_create


class Command(BaseCommand):
    help = (
        "Create a user with a profile. Inside people get job roles with --role; a portal user "
        "belongs to the organization named by --organization. The password is asked for, or "
        "read from standard input with --password-stdin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument(
            "--role",
            action="append",
            default=[],
            dest="roles",
            metavar="ROLE",
            help=f"A job role; repeat for several. One of: {', '.join(JobRole.values)}.",
        )
        parser.add_argument(
            "--superuser", action="store_true", help="Full rights, including Django's admin."
        )
        parser.add_argument(
            "--organization",
            metavar="ID_OR_NAME",
            help="Make a portal user of this organization (its id, legal or display name).",
        )
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        roles = [self._role(value) for value in options["roles"]]
        organization = (
            self._organization(options["organization"]) if options["organization"] else None
        )
        password = self._password(options["password_stdin"])
        try:
            user = user_create(
                actor=None,
                username=options["username"],
                email=options["email"],
                password=password,
                first_name=options["first_name"],
                last_name=options["last_name"],
                roles=roles,
                organization=organization,
                is_superuser=options["superuser"],
            )
        except DomainError as error:
            field = f"{error.field}: " if error.field else ""
            raise CommandError(f"{field}{error}") from error
        kind = f"portal user of {organization}" if organization else "user"
        granted = f" with role(s) {', '.join(roles)}" if roles else ""
        self.stdout.write(self.style.SUCCESS(f"Created {kind} {user.get_username()}{granted}."))

    @staticmethod
    def _role(value: str) -> str:
        """Accept a role by its name in any case, or by its constant (account_manager)."""
        wanted = value.strip().lower().replace("_", " ")
        for role in JobRole:
            if wanted in {role.value.lower(), role.name.lower().replace("_", " ")}:
                return str(role.value)
        raise CommandError(f"--role: unknown job role {value!r}; choose from {JobRole.values}.")

    @staticmethod
    def _organization(value: str) -> Any:
        organization_model = apps.get_model("parties", "Organization")
        live = organization_model.objects.filter(archived_at__isnull=True)
        if value.isdigit():
            found = list(live.filter(pk=int(value)))
        else:
            found = list(live.filter(legal_name__iexact=value)) or list(
                live.filter(display_name__iexact=value)
            )
        if not found:
            raise CommandError(f"--organization: no organization {value!r}.")
        if len(found) > 1:
            raise CommandError(
                f"--organization: {len(found)} organizations are called {value!r}; give the id."
            )
        return found[0]

    def _password(self, from_stdin: bool) -> str:
        if from_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        elif sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ; nothing was created.")
        else:
            raise CommandError(
                "No terminal to ask for a password on; pipe it in with --password-stdin."
            )
        if not password:
            raise CommandError("password: the password must not be empty.")
        return password

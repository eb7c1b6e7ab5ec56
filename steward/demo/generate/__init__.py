"""The demo data generator: small steps per domain that share one ``DemoContext``.

A later capability (contracts, scorecards, …) adds a module with its own steps and appends them
to ``STEPS``; each step draws from its own random stream, so adding one leaves the data of the
others unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from steward.demo.generate import (
    assessments,
    compliance,
    contracts,
    execution,
    key_account_handoff,
    key_account_story,
    key_accounts,
    parties,
    people,
    performance,
    portal,
    relationships,
    risk,
    savings,
    segments,
    sourcing,
    spend,
    spend_large,
    strategies,
    vendors,
)
from steward.demo.generate.context import DemoContext

Step = Callable[[DemoContext], None]

STEPS: list[Step] = [
    people.create_staff,
    parties.create_organizations,
    parties.create_sites,
    parties.create_contacts,
    relationships.create_relationships,
    relationships.create_team_members,
    people.create_portal_users,
    people.create_teams,
    vendors.create_categories,
    vendors.create_vendors,
    segments.place_vendors,
    strategies.create_strategies,
    execution.create_initiatives,
    execution.create_activities,
    contracts.create_contracts,
    performance.create_performance,
    spend.create_spend,
    savings.create_savings,
    risk.create_risk,
    compliance.create_compliance,
    assessments.create_assessments,
    portal.create_portal,
    sourcing.create_sourcing,
    key_accounts.create_key_accounts,
    key_account_story.create_story,  # through the services, after the bulk
    key_account_handoff.create_handoff,  # after the story picked its active accounts
    spend_large.create_large_ledger,  # the large size's ten million lines; nothing otherwise
    people.describe_logins,
    contracts.describe_logins,
    performance.describe_logins,
    spend.describe_logins,  # after people's, which rebuilds the logins
    risk.describe_logins,
    sourcing.describe_logins,
    key_account_story.describe_logins,
]


def generate(ctx: DemoContext) -> None:
    for step in STEPS:
        step(ctx)

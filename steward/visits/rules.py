"""Who may record a post-visit note, beyond what the access policy's spec says.

The brief and the notes follow their account (``Visit.access_spec``: parent = the account): the
account's owner, its team, the managers of its owner, auditors and administrators read them.
Recording a note changes the account's relationship map and actions, so it takes what changing
the account takes under the policy: its owner, an editing member of its team, an
administrator. Managers read their reports' briefs; they do not record on their behalf.
"""

from __future__ import annotations

from typing import Any

from steward.core.access import Action, allows, principal_for
from steward.parties.choices import Side
from steward.parties.models import Relationship


def may_record(user: Any, relationship: Relationship) -> bool:
    principal = principal_for(user)
    if not principal.may_write or relationship.side != Side.DEMAND:
        return False
    if relationship.is_archived:
        return False
    return allows(user, Action.CHANGE, relationship)

"""The `assignee` filter of the request list and the review queue: whose requests to show."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from supportai.domain.auth.principal import Principal
from supportai.domain.requests.models import SupportRequest
from supportai.errors import InvalidInput

ASSIGNEE_FILTER = "me (taken by the caller), unassigned, or a team member's user id"


def assignee_clause(assignee: str, caller: Principal) -> sa.ColumnElement[bool]:
    if assignee == "unassigned":
        return SupportRequest.assignee_id.is_(None)
    if assignee == "me":
        if caller.kind != "user":
            raise InvalidInput("assignee=me needs a signed-in team member, not an API key.", field="assignee")
        return SupportRequest.assignee_id == caller.id
    try:
        return SupportRequest.assignee_id == uuid.UUID(assignee)
    except ValueError:
        raise InvalidInput(f"assignee is {ASSIGNEE_FILTER}.", field="assignee") from None

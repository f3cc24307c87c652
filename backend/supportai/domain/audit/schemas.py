from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import msgspec

from supportai.domain.audit.models import AuditEntry


class AuditEntryOut(msgspec.Struct):
    id: uuid.UUID
    created_at: datetime
    actor_id: uuid.UUID | None
    actor_kind: str
    action: str
    target: str | None
    detail: dict[str, Any]
    ip: str | None

    @classmethod
    def of(cls, row: AuditEntry) -> AuditEntryOut:
        return cls(
            id=row.id,
            created_at=row.created_at,
            actor_id=row.actor_id,
            actor_kind=row.actor_kind,
            action=row.action,
            target=row.target,
            detail=row.detail,
            ip=row.ip,
        )

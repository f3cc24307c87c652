"""SQL clauses whose best form depends on the database."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession


def among(session: AsyncSession, column: Any, values: Collection[Any]) -> sa.ColumnElement[bool]:
    """`column IN (values)`. On PostgreSQL as one array parameter, `column = ANY(:values)`:
    an IN list of hundreds of bound values (a tracking run's 500 requests) costs more to
    render and bind, value by value, than the query takes to run."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))
    return column.in_(values)

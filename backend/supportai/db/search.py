"""Case-insensitive substring search that takes the user's text literally."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

ESCAPE = "\\"


def contains(column: Any, text: str) -> sa.ColumnElement[bool]:
    """`column` contains `text`, ignoring case; `%` and `_` in `text` match themselves."""
    escaped = text.lower().replace(ESCAPE, ESCAPE * 2).replace("%", f"{ESCAPE}%").replace("_", f"{ESCAPE}_")
    return sa.func.lower(column).like(f"%{escaped}%", escape=ESCAPE)

"""A bot's last update is stamped on its row at most once a minute: a busy bot gets an
update per customer message, and each stamp is a write to one shared row."""

from __future__ import annotations

from datetime import timedelta

from supportai.db.base import utcnow
from supportai.domain.telegram.bots import UPDATE_STAMP_EVERY, note_update
from supportai.domain.telegram.models import TelegramBot


def test_the_first_update_is_stamped() -> None:
    bot = TelegramBot(last_update_at=None)
    before = utcnow()
    note_update(bot)
    assert bot.last_update_at is not None and bot.last_update_at >= before


def test_a_recent_stamp_is_kept_and_an_old_one_moves_on() -> None:
    recent = utcnow() - UPDATE_STAMP_EVERY / 2
    bot = TelegramBot(last_update_at=recent)
    note_update(bot)
    assert bot.last_update_at == recent

    old = utcnow() - UPDATE_STAMP_EVERY - timedelta(seconds=1)
    bot.last_update_at = old
    note_update(bot)
    assert bot.last_update_at > old + UPDATE_STAMP_EVERY

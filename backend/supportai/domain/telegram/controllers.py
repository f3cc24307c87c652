from __future__ import annotations

import uuid
from typing import Any

import msgspec
import sqlalchemy as sa
from litestar import Controller, Request, delete, get, post, put
from litestar.params import FromPath, JSONBody

from supportai.api.dependencies import PrincipalDep, RuntimeDep, TenantSession
from supportai.domain.audit.service import record
from supportai.domain.requests.intake import receive_message
from supportai.domain.requests.models import Source
from supportai.domain.telegram import bots
from supportai.domain.telegram.models import CustomerLink, LinkState, TelegramBot
from supportai.domain.telegram.schemas import BotIn, BotOut, LinkOut
from supportai.errors import AuthenticationFailed, InvalidInput, NotFound
from supportai.integrations.telegram import InvalidUpdate, parse_update
from supportai.security import constant_time_equals, token_hash

SECRET_HEADER = "x-telegram-bot-api-secret-token"


class TelegramBotController(Controller):
    path = "/api/setup/telegram-bot"
    tags = ["telegram"]
    opt = {"owner_only": True}

    @get(operation_id="getTelegramBot", summary="The customer bot (its token is never returned)")
    async def get_bot(self, db_session: TenantSession) -> BotOut | None:
        bot = await bots.tenant_bot(db_session)
        return BotOut.of(bot) if bot else None

    @put(operation_id="saveTelegramBot", summary="Connect the customer bot: checks the token, sets the webhook")
    async def save_bot(
        self, data: JSONBody[BotIn], principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession
    ) -> BotOut:
        return BotOut.of(await bots.register_bot(runtime, db_session, principal, data.token))

    @delete("/{bot_id:uuid}", operation_id="removeTelegramBot", summary="Disconnect the bot")
    async def remove_bot(
        self, bot_id: FromPath[uuid.UUID], principal: PrincipalDep, runtime: RuntimeDep, db_session: TenantSession
    ) -> None:
        await bots.remove_bot(runtime, db_session, principal, bot_id)


class CustomerLinkController(Controller):
    path = "/api/telegram/links"
    tags = ["telegram"]

    @get(operation_id="listCustomerLinks", summary="Telegram users and the panel accounts they proved")
    async def list_links(self, db_session: TenantSession) -> list[LinkOut]:
        links = await db_session.scalars(sa.select(CustomerLink).order_by(CustomerLink.created_at.desc()))
        return [LinkOut.of(link) for link in links]

    @delete("/{link_id:uuid}", operation_id="revokeCustomerLink", summary="Revoke a link; the user must link again",
            opt={"owner_only": True})
    async def revoke(self, link_id: FromPath[uuid.UUID], principal: PrincipalDep, db_session: TenantSession) -> None:
        link = await db_session.get(CustomerLink, link_id)
        if link is None:
            raise NotFound("No such link.")
        link.state, link.code_hash = LinkState.REVOKED, None
        record(db_session, "telegram.link_revoked", actor=principal, target=link.panel_username)


@post("/telegram/webhook/{bot_id:uuid}", operation_id="telegramWebhook", status_code=200, tags=["telegram"],
      summary="Updates from Telegram for one bot", opt={"exclude_from_auth": True})
async def telegram_webhook(bot_id: FromPath[uuid.UUID], request: Request[Any, Any, Any],
                           runtime: RuntimeDep) -> dict[str, bool]:
    """Checked, stored and acknowledged at once; processing happens in the worker."""
    async with runtime.db.unit_of_work(None) as uow:  # the tenant is known only from the bot
        bot = await uow.session.get(TelegramBot, bot_id)
        if bot is None:
            raise NotFound("No such bot.")
        if not constant_time_equals(token_hash(request.headers.get(SECRET_HEADER, "")), bot.webhook_secret_hash):
            raise AuthenticationFailed("The webhook secret does not match.")
        bots.note_update(bot)
        await uow.commit()
    try:
        incoming = parse_update(msgspec.json.decode(await request.body()))
    except (msgspec.DecodeError, InvalidUpdate, TypeError) as exc:
        raise InvalidInput("The body is not a Telegram update.") from exc
    if incoming is None:
        return {"ok": True}  # an update kind we do not handle (edits, joins, ...)
    await receive_message(
        runtime, bot.tenant_id, source=Source.TELEGRAM, external_id=f"{bot.id}:{incoming.update_id}",
        customer="", text=incoming.text or "", has_attachment=incoming.has_photo,
        reply_to={"bot_id": str(bot.id), **msgspec.to_builtins(incoming)},
    )
    return {"ok": True}

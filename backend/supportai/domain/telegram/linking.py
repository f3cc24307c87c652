"""Linking a Telegram user to a panel account (rules.md, Order validation).

The bot asks for the panel username, sends a one-time code to that account as a panel
ticket message, and the customer types the code back. Where the panel cannot create
tickets, the proof is one of the user's order IDs with that order's link. Wrong answers
are counted; too many lock linking for a while.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.db.base import utcnow
from supportai.domain.telegram.models import CustomerLink, LinkState, TelegramBot
from supportai.integrations.clients import PanelClients
from supportai.integrations.panel import PanelError, PanelNotFound
from supportai.integrations.telegram import IncomingTelegramMessage
from supportai.security import constant_time_equals, token_hash

CODE_TTL = timedelta(minutes=15)
MAX_FAILURES = 5
LOCKOUT = timedelta(hours=1)
_USERNAME = re.compile(r"^[\w.\-]{2,64}$")
_ORDER_AND_LINK = re.compile(r"(?P<order>\d{3,20})\D+?(?P<link>https?://\S+)|(?P<link2>https?://\S+)\D+?(?P<order2>\d{3,20})")

ASK_USERNAME = "Hi! To help with your orders, please send your username on our panel."
CODE_SENT = (
    "We sent a verification code to your panel account (see Tickets on the panel). "
    "Please type the code here."
)
ASK_ORDER = (
    "Please send one of your order IDs together with that order's link, "
    "so we can confirm the account is yours."
)
UNKNOWN_USERNAME = "We could not find that username on the panel. Please check it and send it again."
WRONG_CODE = "That code is not right. Please check the ticket on the panel and try again."
WRONG_ORDER = "That order and link do not match an order of this account. Please try again."
CODE_EXPIRED = "The code has expired. Please send your panel username again."
LOCKED = "Too many attempts. Please try again later."
LINKED = "Thank you! Your Telegram is now linked to {username}. How can we help with your orders?"


class LinkStep:
    """What the linking conversation decided for one message: a reply to send, and the
    panel username when the customer is linked and the message is a real request."""

    def __init__(self, reply: str | None = None, username: str | None = None) -> None:
        self.reply = reply
        self.username = username


async def link_for(
    session: AsyncSession, bot: TelegramBot, incoming: IncomingTelegramMessage
) -> tuple[CustomerLink, bool]:
    """The sender's link, created on first contact; and whether this is that first contact."""
    link = await session.scalar(
        sa.select(CustomerLink).where(
            CustomerLink.bot_id == bot.id, CustomerLink.telegram_user_id == incoming.from_user_id
        )
    )
    if link is None:
        link = CustomerLink(
            bot_id=bot.id, telegram_user_id=incoming.from_user_id, chat_id=incoming.chat_id,
            telegram_username=incoming.from_username, state=LinkState.AWAITING_USERNAME,
        )
        session.add(link)
        await session.flush()
        return link, True
    return link, False


async def advance(
    link: CustomerLink, text: str, panel: PanelClients, bot_username: str, *, first_contact: bool
) -> LinkStep:
    """One turn of the conversation. `link` is changed in place (the caller commits)."""
    now = utcnow()
    if link.state == LinkState.LINKED:
        return LinkStep(username=link.panel_username)
    if first_contact or link.state == LinkState.REVOKED:
        link.state, link.failed_attempts, link.panel_username = LinkState.AWAITING_USERNAME, 0, None
        return LinkStep(reply=ASK_USERNAME)
    if link.locked_until and link.locked_until > now:
        return LinkStep(reply=LOCKED)
    match link.state:
        case LinkState.AWAITING_USERNAME:
            return await _take_username(link, text, panel, bot_username)
        case LinkState.AWAITING_CODE:
            return _take_code(link, text)
        case _:
            return await _take_order(link, text, panel)


async def _take_username(link: CustomerLink, text: str, panel: PanelClients, bot_username: str) -> LinkStep:
    username = text.strip().lstrip("@")
    if not _USERNAME.match(username):
        return LinkStep(reply=ASK_USERNAME)
    code = f"{secrets.randbelow(10**6):06d}"
    try:
        await panel.admin.add_ticket(
            username, "Telegram verification",
            f"Your verification code is {code}. Type it in the Telegram chat with @{bot_username}. "
            "If you did not ask for it, ignore this message.",
        )
    except PanelNotFound:
        return _failure(link, UNKNOWN_USERNAME)
    except PanelError:
        # The panel cannot open tickets for us: fall back to proof by an order's link.
        link.panel_username, link.state = username, LinkState.AWAITING_ORDER
        return LinkStep(reply=ASK_ORDER)
    link.panel_username, link.state = username, LinkState.AWAITING_CODE
    link.code_hash, link.code_expires_at = token_hash(code), utcnow() + CODE_TTL
    return LinkStep(reply=CODE_SENT)


def _take_code(link: CustomerLink, text: str) -> LinkStep:
    if link.code_expires_at is None or link.code_expires_at < utcnow():
        link.state, link.code_hash = LinkState.AWAITING_USERNAME, None
        return LinkStep(reply=CODE_EXPIRED)
    if not constant_time_equals(token_hash(re.sub(r"\s", "", text)), link.code_hash or ""):
        return _failure(link, WRONG_CODE)
    return _linked(link)


async def _take_order(link: CustomerLink, text: str, panel: PanelClients) -> LinkStep:
    match = _ORDER_AND_LINK.search(text)
    if match is None:
        return LinkStep(reply=ASK_ORDER)
    order_id = match.group("order") or match.group("order2")
    claimed_link = (match.group("link") or match.group("link2")).rstrip("/")
    try:
        found = await panel.admin.orders([int(order_id)])
    except PanelError:
        return LinkStep(reply=ASK_ORDER)
    order = found.get(int(order_id))
    if (
        order is None
        or order.user.casefold() != (link.panel_username or "").casefold()
        or (order.link or "").rstrip("/") != claimed_link
    ):
        return _failure(link, WRONG_ORDER)
    return _linked(link)


def _linked(link: CustomerLink) -> LinkStep:
    link.state, link.linked_at, link.code_hash, link.failed_attempts = LinkState.LINKED, utcnow(), None, 0
    return LinkStep(reply=LINKED.format(username=link.panel_username))


def _failure(link: CustomerLink, reply: str) -> LinkStep:
    link.failed_attempts += 1
    if link.failed_attempts >= MAX_FAILURES:
        link.locked_until, link.failed_attempts = utcnow() + LOCKOUT, 0
        link.state, link.code_hash = LinkState.AWAITING_USERNAME, None
        return LinkStep(reply=LOCKED)
    return LinkStep(reply=reply)

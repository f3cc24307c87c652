"""What a tenant has connected so far, and what each dispatch mode still needs."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from supportai.config import Settings
from supportai.domain.dispatch.models import UserbotAccount, UserbotState
from supportai.domain.dispatch.schemas import DispatchModeStatus, Requirement, SetupStatus
from supportai.domain.setup.models import PanelConnection, ProviderAccount
from supportai.domain.telegram.bots import tenant_bot
from supportai.domain.tenants.service import get_settings
from supportai.integrations.telegram import DispatchMode

# Every mode sends to the providers' chats; the bot is also the fallback of `userbot`, but
# that mode works without it, as long as the owner's account is logged in.
MODE_NEEDS = {
    DispatchMode.BOT: ("provider_chat", "customer_bot"),
    DispatchMode.USERBOT: ("provider_chat", "userbot"),
    DispatchMode.BOTH: ("provider_chat", "userbot", "customer_bot"),
}
LOGGED_IN = frozenset({UserbotState.CONNECTED, UserbotState.FLOOD_WAIT})


async def setup_status(settings: Settings, session: AsyncSession) -> SetupStatus:
    panel_connected = await session.scalar(sa.select(sa.exists().select_from(PanelConnection)))
    providers, provider_chats = (await session.execute(
        sa.select(sa.func.count(), sa.func.count(ProviderAccount.telegram_chat)).select_from(ProviderAccount)
    )).one()
    bot = await tenant_bot(session)
    userbot = await session.scalar(sa.select(UserbotAccount.state))
    met = {
        "provider_chat": provider_chats > 0,
        "customer_bot": bot is not None,
        "userbot": userbot in LOGGED_IN,
    }
    modes = [
        DispatchModeStatus(
            mode=mode, needs=[Requirement(need=need, met=met[need]) for need in needs],
            ready=all(met[need] for need in needs),
        )
        for mode, needs in MODE_NEEDS.items()
    ]
    return SetupStatus(
        panel_connected=bool(panel_connected), providers=providers, provider_chats=provider_chats,
        customer_bot=bot.username if bot else None, userbot=userbot or UserbotState.NEEDS_LOGIN,
        # As the userbot worker decides (dispatch.userbot_pool.telethon_factory).
        userbot_login_available=settings.telegram_api_id is not None and bool(settings.telegram_api_hash),
        dispatch_mode=(await get_settings(session)).dispatch_mode, dispatch_modes=modes,
        # A panel, a provider and a customer channel; the panel's tickets are one, read as
        # soon as it is connected, so the customer bot is optional.
        onboarding_complete=bool(panel_connected) and providers > 0,
    )

"""Telegram: the owner's bot (aiogram, Bot API) and the owner's own account (Telethon).

Callers use the ports (Messenger, Userbot and their values and errors) and
send_to_provider; aiogram and Telethon stay inside bot.py and userbot.py.
"""

from supportai.integrations.telegram.bot import (
    TELEGRAM_API_BASE,
    BotIdentity,
    BotMessenger,
    InvalidBotToken,
    InvalidUpdate,
    delete_webhook,
    parse_update,
    set_webhook,
    validate_token,
)
from supportai.integrations.telegram.formatting import (
    BatchItem,
    ProviderAction,
    group_batches,
    provider_batch_text,
)
from supportai.integrations.telegram.messenger import (
    DEFAULT_LONG_FLOOD_WAIT_S,
    ChannelFailure,
    DispatchMode,
    SendResult,
    send_to_provider,
)
from supportai.integrations.telegram.ports import (
    Channel,
    FloodWait,
    IncomingTelegramMessage,
    Messenger,
    ProviderChat,
    SendFailed,
    SentMessage,
    TelegramError,
    Userbot,
)
from supportai.integrations.telegram.userbot import (
    LoginFailed,
    PasswordRequired,
    TelethonUserbot,
    UserbotIdentity,
)

__all__ = [
    "DEFAULT_LONG_FLOOD_WAIT_S",
    "TELEGRAM_API_BASE",
    "BatchItem",
    "BotIdentity",
    "BotMessenger",
    "Channel",
    "ChannelFailure",
    "DispatchMode",
    "FloodWait",
    "IncomingTelegramMessage",
    "InvalidBotToken",
    "InvalidUpdate",
    "LoginFailed",
    "Messenger",
    "PasswordRequired",
    "ProviderAction",
    "ProviderChat",
    "SendFailed",
    "SendResult",
    "SentMessage",
    "TelegramError",
    "TelethonUserbot",
    "Userbot",
    "UserbotIdentity",
    "delete_webhook",
    "group_batches",
    "parse_update",
    "provider_batch_text",
    "send_to_provider",
    "set_webhook",
    "validate_token",
]

"""Local stand-in for the Telegram Bot API.

Serves the Bot API wire protocol (https://core.telegram.org/bots/api) at
`/bot{token}/{method}` for the methods SupportAI uses, so the real aiogram client
can be pointed at it with `TelegramAPIServer.from_base(url)`. Parameters are read
from the query string and from JSON, urlencoded (what aiogram sends when there is
no file) or multipart bodies; answers are `{"ok": true, "result": ...}` or
`{"ok": false, "error_code": ..., "description": ...}` with the matching HTTP status.

A control API under `/_tg/` sets up and inspects the world:
  POST /_tg/bots                          register a bot {token, username, first_name?}
  POST /_tg/chats                         register a chat (a Bot API Chat object)
  GET  /_tg/bots/{bot_id}/sent?chat_id=   messages the bot sent, oldest first
  POST /_tg/chats/{chat_id}/flood         next `count` sendMessage calls to the chat
                                          answer 429 {count, retry_after}
  POST /_tg/bots/{bot_id}/updates         deliver an Update to the bot's webhook; answers
                                          {update_id, status, error} (status: the
                                          webhook's HTTP status, null if unreachable)

Deliberate differences from Telegram: webhooks may be plain http (tests serve them
on 127.0.0.1), there is no pacing besides scripted 429s, and files cannot be
downloaded (getFile answers for files seen in delivered updates).
"""

from __future__ import annotations

import json
import re
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import httpx
import msgspec
from litestar import Litestar, Request, Response, get, post, route
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, FromQuery, JSONBody

JsonObject = dict[str, Any]

# What Telegram allows in setWebhook's secret_token.
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_MAX_MESSAGE_LENGTH = 4096
_WEBHOOK_TIMEOUT_S = 10.0


class BotApiError(Exception):
    """A Bot API error answer: {"ok": false, "error_code": status, "description": ...}."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def to_response(self) -> Response[JsonObject]:
        body: JsonObject = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return Response(body, status_code=self.status)


def _bad_request(detail: str) -> BotApiError:
    return BotApiError(400, f"Bad Request: {detail}")


@dataclass
class Webhook:
    url: str
    secret_token: str | None
    allowed_updates: list[str] | None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class BotAccount:
    token: str
    user: JsonObject  # the Bot API User object getMe answers
    webhook: Webhook | None = None
    last_update_id: int = 0

    @property
    def id(self) -> int:
        return self.user["id"]


class TelegramState:
    """Everything the stand-in knows; one instance per app, shared with tests."""

    def __init__(self) -> None:
        self.bots: dict[str, BotAccount] = {}  # by token
        self.chats: dict[int, JsonObject] = {}  # Bot API Chat objects by id
        # Messages in each (bot id, chat id) conversation, by message_id; both ways.
        self.messages: dict[tuple[int, int], dict[int, JsonObject]] = {}
        self.sent: list[tuple[int, JsonObject]] = []  # (bot id, Message) the bots sent
        self.files: dict[str, JsonObject] = {}  # File objects by file_id
        self.callback_query_ids: set[str] = set()
        self.scripted_floods: dict[int, deque[int]] = {}  # chat id → retry_after per call

    def register_bot(self, token: str, username: str, first_name: str) -> BotAccount:
        bot_id, separator, secret = token.partition(":")
        if not (bot_id.isdigit() and separator and secret):
            raise ValueError("a bot token looks like 123456:secret")
        account = BotAccount(
            token=token,
            user={
                "id": int(bot_id),
                "is_bot": True,
                "first_name": first_name,
                "username": username,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            },
        )
        self.bots[token] = account
        return account

    def bot_by_id(self, bot_id: int) -> BotAccount | None:
        return next((bot for bot in self.bots.values() if bot.id == bot_id), None)

    def find_chat(self, chat_id: int | str) -> JsonObject:
        """A chat by numeric id or "@username", as sendMessage's chat_id allows."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            username = chat_id[1:].lower()
            for chat in self.chats.values():
                if str(chat.get("username", "")).lower() == username:
                    return chat
        else:
            try:
                chat = self.chats.get(int(chat_id))
            except ValueError:
                chat = None
            if chat is not None:
                return chat
        raise _bad_request("chat not found")

    def script_flood(self, chat_id: int, count: int, retry_after: int) -> None:
        self.scripted_floods.setdefault(chat_id, deque()).extend([retry_after] * count)

    def take_scripted_flood(self, chat_id: int) -> int | None:
        floods = self.scripted_floods.get(chat_id)
        return floods.popleft() if floods else None

    def conversation(self, bot: BotAccount, chat_id: int) -> dict[int, JsonObject]:
        return self.messages.setdefault((bot.id, chat_id), {})

    def learn_from_update(self, bot: BotAccount, update: JsonObject) -> None:
        """Remember what an update shows Telegram knows: its chat, message and files."""
        for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
            message = update.get(key)
            if (
                isinstance(message, dict)
                and isinstance(message.get("chat"), dict)
                and isinstance(message.get("message_id"), int)
            ):
                chat = message["chat"]
                self.chats.setdefault(chat["id"], chat)
                self.conversation(bot, chat["id"])[message["message_id"]] = message
        callback_query = update.get("callback_query")
        if isinstance(callback_query, dict):
            self.callback_query_ids.add(str(callback_query["id"]))
        for file in _files_in(update):
            self.files[file["file_id"]] = file


def _files_in(value: Any) -> Iterator[JsonObject]:
    """Every file (photo size, document, voice...) anywhere in an update."""
    if isinstance(value, dict):
        if "file_id" in value and "file_unique_id" in value:
            yield value
        for item in value.values():
            yield from _files_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _files_in(item)


# --- Bot API parameters ---------------------------------------------------------------
# Form and query values are strings, JSON bodies carry typed values, and objects
# arrive JSON-encoded inside form fields: each reader accepts all three.


def _param_int(params: JsonObject, name: str) -> int | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad_request(f"invalid {name} specified") from None


def _param_bool(params: JsonObject, name: str) -> bool:
    value = params.get(name)
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return bool(value)


def _param_object(params: JsonObject, name: str) -> Any:
    value = params.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise _bad_request(f"can't parse {name} JSON object") from None
    return value


async def _read_params(request: Request[Any, Any, Any]) -> JsonObject:
    params: JsonObject = dict(request.query_params.items())
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            body = json.loads(await request.body() or b"{}")
        except json.JSONDecodeError:
            raise _bad_request("can't parse JSON object") from None
        if not isinstance(body, dict):
            raise _bad_request("can't parse JSON object")
        params.update(body)
    elif content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        # No method served here takes an upload, so file parts are ignored.
        params.update(
            {key: value for key, value in form.items() if not isinstance(value, UploadFile)}
        )
    return params


TelegramDep = NamedDependency[TelegramState]  # the app's state, see create_telegram_app


# --- Bot API methods --------------------------------------------------------------------

BotMethod = Callable[[TelegramState, BotAccount, JsonObject], Any]


def _get_me(state: TelegramState, bot: BotAccount, params: JsonObject) -> JsonObject:
    return bot.user


def _set_webhook(state: TelegramState, bot: BotAccount, params: JsonObject) -> bool:
    url = str(params.get("url") or "")
    if not url:  # an empty url removes the webhook, as on Telegram
        bot.webhook = None
        return True
    secret_token = params.get("secret_token") or None
    if secret_token is not None and not _SECRET_TOKEN.fullmatch(secret_token):
        raise _bad_request("secret token contains unallowed characters")
    bot.webhook = Webhook(
        url=url,
        secret_token=secret_token,
        allowed_updates=_param_object(params, "allowed_updates"),
    )
    return True


def _delete_webhook(state: TelegramState, bot: BotAccount, params: JsonObject) -> bool:
    bot.webhook = None
    return True


def _get_webhook_info(state: TelegramState, bot: BotAccount, params: JsonObject) -> JsonObject:
    info: JsonObject = {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
    webhook = bot.webhook
    if webhook is not None:
        info["url"] = webhook.url
        if webhook.allowed_updates is not None:
            info["allowed_updates"] = webhook.allowed_updates
        if webhook.last_error_date is not None:
            info["last_error_date"] = webhook.last_error_date
            info["last_error_message"] = webhook.last_error_message
    return info


def _send_message(state: TelegramState, bot: BotAccount, params: JsonObject) -> JsonObject:
    chat_param = params.get("chat_id")
    if chat_param in (None, ""):
        raise _bad_request("chat_id is empty")
    chat = state.find_chat(chat_param)
    text = str(params.get("text") or "")
    if not text.strip():
        raise _bad_request("message text is empty")
    if len(text) > _MAX_MESSAGE_LENGTH:
        raise _bad_request("message is too long")
    retry_after = state.take_scripted_flood(chat["id"])
    if retry_after is not None:
        raise BotApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)

    conversation = state.conversation(bot, chat["id"])
    message: JsonObject = {
        "message_id": max(conversation, default=0) + 1,
        "from": bot.user,
        "chat": chat,
        "date": int(time.time()),
        "text": text,
    }
    replied_to = _replied_message(conversation, params)
    if replied_to is not None:
        # Telegram nests the replied-to message one level deep only.
        message["reply_to_message"] = {
            key: value for key, value in replied_to.items() if key != "reply_to_message"
        }
    conversation[message["message_id"]] = message
    state.sent.append((bot.id, message))
    return message


def _replied_message(conversation: dict[int, JsonObject], params: JsonObject) -> JsonObject | None:
    """The message sendMessage replies to: reply_parameters, or the older
    reply_to_message_id / allow_sending_without_reply pair."""
    reply_parameters = _param_object(params, "reply_parameters")
    if isinstance(reply_parameters, dict):
        message_id = _param_int(reply_parameters, "message_id")
        allow_without_reply = _param_bool(reply_parameters, "allow_sending_without_reply")
    else:
        message_id = _param_int(params, "reply_to_message_id")
        allow_without_reply = _param_bool(params, "allow_sending_without_reply")
    if message_id is None:
        return None
    replied_to = conversation.get(message_id)
    if replied_to is None and not allow_without_reply:
        raise _bad_request("message to be replied not found")
    return replied_to


def _get_file(state: TelegramState, bot: BotAccount, params: JsonObject) -> JsonObject:
    file = state.files.get(str(params.get("file_id") or ""))
    if file is None:
        raise _bad_request("invalid file_id")
    return {**file, "file_path": f"files/{file['file_unique_id']}"}


def _answer_callback_query(state: TelegramState, bot: BotAccount, params: JsonObject) -> bool:
    if str(params.get("callback_query_id") or "") not in state.callback_query_ids:
        raise _bad_request("query is too old and response timeout expired or query ID is invalid")
    return True


# By lower-cased method name.
BOT_METHODS: dict[str, BotMethod] = {
    "getme": _get_me,
    "setwebhook": _set_webhook,
    "deletewebhook": _delete_webhook,
    "getwebhookinfo": _get_webhook_info,
    "sendmessage": _send_message,
    "getfile": _get_file,
    "answercallbackquery": _answer_callback_query,
}

_RESULT_DESCRIPTIONS = {"setwebhook": "Webhook was set", "deletewebhook": "Webhook was deleted"}


@route("/{bot_path:str}/{method:str}", http_method=["GET", "POST"])
async def bot_api(
    bot_path: FromPath[str],
    method: FromPath[str],
    request: Request[Any, Any, Any],
    telegram: TelegramDep,
) -> Response[JsonObject]:
    method_name = method.lower()  # method names are case-insensitive on Telegram
    try:
        # Litestar path parameters are whole segments, so "bot" is stripped here.
        if not bot_path.startswith("bot"):
            raise BotApiError(404, "Not Found")
        bot = telegram.bots.get(bot_path.removeprefix("bot"))
        if bot is None:
            raise BotApiError(401, "Unauthorized")
        handler = BOT_METHODS.get(method_name)
        if handler is None:
            raise BotApiError(404, "Not Found")
        result = handler(telegram, bot, await _read_params(request))
    except BotApiError as error:
        return error.to_response()
    body: JsonObject = {"ok": True, "result": result}
    if method_name in _RESULT_DESCRIPTIONS:
        body["description"] = _RESULT_DESCRIPTIONS[method_name]
    return Response(body, status_code=200)


# --- Control API ----------------------------------------------------------------------


class BotRegistration(msgspec.Struct):
    token: str
    username: str
    first_name: str = "SupportAI test bot"


class ChatRegistration(msgspec.Struct, omit_defaults=True):
    """A Bot API Chat object."""

    id: int
    type: Literal["private", "group", "supergroup", "channel"]
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None


class FloodScript(msgspec.Struct):
    count: int
    retry_after: int


class UpdateDelivery(msgspec.Struct):
    update_id: int
    status: int | None  # the webhook's HTTP status; None when it could not be reached
    error: str | None = None


def _bot_or_404(telegram: TelegramState, bot_id: int) -> BotAccount:
    bot = telegram.bot_by_id(bot_id)
    if bot is None:
        raise NotFoundException(f"no bot {bot_id}")
    return bot


@post("/_tg/bots")
async def register_bot(data: JSONBody[BotRegistration], telegram: TelegramDep) -> JsonObject:
    try:
        return telegram.register_bot(data.token, data.username, data.first_name).user
    except ValueError as exc:
        raise ValidationException(str(exc)) from exc


@post("/_tg/chats")
async def register_chat(data: JSONBody[ChatRegistration], telegram: TelegramDep) -> JsonObject:
    chat = msgspec.to_builtins(data)
    telegram.chats[data.id] = chat
    return chat


@get("/_tg/bots/{bot_id:int}/sent")
async def list_sent(
    bot_id: FromPath[int], telegram: TelegramDep, chat_id: FromQuery[int | None] = None
) -> list[JsonObject]:
    bot = _bot_or_404(telegram, bot_id)
    return [
        message
        for sender_id, message in telegram.sent
        if sender_id == bot.id and (chat_id is None or message["chat"]["id"] == chat_id)
    ]


@post("/_tg/chats/{chat_id:int}/flood", status_code=204)
async def script_flood(
    chat_id: FromPath[int], data: JSONBody[FloodScript], telegram: TelegramDep
) -> None:
    telegram.script_flood(chat_id, data.count, data.retry_after)


@post("/_tg/bots/{bot_id:int}/updates", status_code=200)
async def deliver_update(
    bot_id: FromPath[int], data: JSONBody[JsonObject], telegram: TelegramDep
) -> UpdateDelivery:
    """POST the update to the bot's webhook as Telegram does, and say how it answered.

    An update without update_id gets the bot's next one; passing an update_id again
    replays a redelivery.
    """
    bot = _bot_or_404(telegram, bot_id)
    webhook = bot.webhook
    if webhook is None:
        raise NotFoundException(f"bot {bot_id} has no webhook")
    update = {"update_id": data.get("update_id") or bot.last_update_id + 1, **data}
    bot.last_update_id = max(bot.last_update_id, update["update_id"])
    telegram.learn_from_update(bot, update)
    headers = {"Content-Type": "application/json"}
    if webhook.secret_token is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
    try:
        async with httpx.AsyncClient(timeout=_WEBHOOK_TIMEOUT_S) as client:
            answer = await client.post(webhook.url, content=json.dumps(update), headers=headers)
    except httpx.HTTPError as exc:
        _record_webhook_error(webhook, str(exc) or type(exc).__name__)
        return UpdateDelivery(update_id=update["update_id"], status=None, error=str(exc))
    if not answer.is_success:
        _record_webhook_error(webhook, f"Wrong response from the webhook: {answer.status_code}")
    return UpdateDelivery(update_id=update["update_id"], status=answer.status_code)


def _record_webhook_error(webhook: Webhook, message: str) -> None:
    webhook.last_error_date = int(time.time())
    webhook.last_error_message = message


def create_telegram_app(state: TelegramState | None = None) -> Litestar:
    """The stand-in as an ASGI app; pass `state` to set it up or inspect it in-process."""
    telegram = state if state is not None else TelegramState()
    return Litestar(
        route_handlers=[
            bot_api,
            register_bot,
            register_chat,
            list_sent,
            script_flood,
            deliver_update,
        ],
        dependencies={"telegram": Provide(lambda: telegram, sync_to_thread=False)},
        # Litestar's default logging starts a listener thread per app; the stand-in runs
        # inside tests and demos that own their logging.
        logging_config=None,
    )

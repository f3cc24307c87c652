"""A local stand-in of an OpenAI-compatible chat-completions endpoint (serve it with
`serve_in_thread`); each test sets what it answers."""

from __future__ import annotations

import asyncio
import json
from typing import Any


class ChatCompletionsStandIn:
    """Answers POST /v1/chat/completions with whatever the test put in `reply`."""

    def __init__(self) -> None:
        self.reply: dict[str, Any] = {}
        self.delay_s = 0.0
        self.requests: list[dict[str, Any]] = []

    def answer_with(self, content: str, status: int = 200, delay_s: float = 0.0) -> None:
        self.reply = {"status": status, "content": content}
        self.delay_s = delay_s

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {key.decode(): value.decode() for key, value in scope["headers"]}
        self.requests.append({"path": scope["path"], "headers": headers, "body": json.loads(body)})
        await asyncio.sleep(self.delay_s)
        completion = {
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": self.reply["content"]}}
            ]
        }
        payload = json.dumps(completion).encode()
        await send(
            {
                "type": "http.response.start",
                "status": self.reply["status"],
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": payload})

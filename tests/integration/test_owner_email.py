"""Owner alerts by e-mail, through aiosmtplib to a real SMTP server (aiosmtpd on a local
port): delivered once to the address the owner chose; an SMTP server that is down leaves
the copy pending for the sweeper, then failed after the last attempt."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import msgspec
import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from arq.constants import job_key_prefix

from supportai.config import Settings
from supportai.domain.notifications.delivery import MAX_ATTEMPTS, RETRY_AFTER, deliver, sweep_deliveries
from supportai.domain.notifications.events import OwnerEvent
from supportai.domain.notifications.models import Notification
from supportai.domain.notifications.service import notify_owner
from supportai.queues import CONTROL_QUEUE
from supportai.runtime import open_runtime


class Inbox:
    """An aiosmtpd handler keeping what it received."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def with_smtp(settings: Settings, port: int) -> Settings:
    return msgspec.structs.replace(settings, smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False,
                                   smtp_from="SupportAI <alerts@supportai.test>")


async def email_only(client, account, address: str | None) -> None:
    response = await client.put("/api/notifications/channels", headers=account.headers, json={
        "events": [{"event": "sla_breach", "telegram": False, "email": True}], "notification_email": address})
    assert response.status_code == 200, response.text


async def one_breach(runtime, account, occurrence: str) -> uuid.UUID:
    tenant_id = uuid.UUID(account.tenant_id)
    assert await notify_owner(runtime, tenant_id, OwnerEvent.SLA_BREACH, occurrence, "SLA breached: order #42",
                              "Order #42 has waited on your team since 09:00 UTC.", "/queue")
    async with runtime.db.tenant_session(tenant_id) as session:
        return await session.scalar(sa.select(Notification.id).where(Notification.occurrence == occurrence))


async def test_an_alert_is_mailed_once_to_the_address_the_owner_chose(client, sign_up, settings, smtp_server):
    inbox, port = smtp_server
    account = await sign_up("Mail panel")
    await email_only(client, account, "alerts@mail-panel.example")

    async with open_runtime(with_smtp(settings, port)) as runtime:
        notification_id = await one_breach(runtime, account, "breach-1")
        assert await deliver(runtime, uuid.UUID(account.tenant_id), notification_id) == "email: sent"
        assert await deliver(runtime, uuid.UUID(account.tenant_id), notification_id) == "nothing pending"
        # The same occurrence again is not a new notification.
        assert not await notify_owner(runtime, uuid.UUID(account.tenant_id), OwnerEvent.SLA_BREACH, "breach-1",
                                      "again", "again")

    [(recipients, mail)] = inbox.received
    assert recipients == ["alerts@mail-panel.example"]
    assert mail["Subject"] == "[SupportAI] SLA breached: order #42"
    assert "waited on your team" in mail.get_payload() and "/queue" in mail.get_payload()
    shown = (await client.get("/api/notifications", headers=account.headers)).json()["items"]
    assert [(n["email"], n["telegram"]) for n in shown] == [("sent", None)]


async def test_without_an_address_the_owners_login_gets_it(client, sign_up, settings, smtp_server):
    inbox, port = smtp_server
    account = await sign_up("Login mail panel")
    await email_only(client, account, None)
    async with open_runtime(with_smtp(settings, port)) as runtime:
        await deliver(runtime, uuid.UUID(account.tenant_id), await one_breach(runtime, account, "breach-2"))
    assert [recipients for recipients, _ in inbox.received] == [[account.email]]


async def test_a_server_that_is_down_is_tried_again_then_given_up(client, sign_up, settings):
    account = await sign_up("Down mail panel")
    tenant_id = uuid.UUID(account.tenant_id)
    await email_only(client, account, "alerts@down.example")
    async with open_runtime(with_smtp(settings, free_port())) as runtime:  # nothing listens there
        notification_id = await one_breach(runtime, account, "breach-3")
        states = [await deliver(runtime, tenant_id, notification_id) for _ in range(MAX_ATTEMPTS)]
        assert states == ["email: pending"] * (MAX_ATTEMPTS - 1) + ["email: failed"]

        # The sweeper queues a pending copy once its retry is due, not before.
        other_id = await one_breach(runtime, account, "breach-4")
        await deliver(runtime, tenant_id, other_id)
        async with runtime.db.tenant_session(tenant_id) as session:
            row = await session.get_one(Notification, other_id)
            attempted = row.attempted_at
        await drop_queued_deliveries(runtime)  # as if the job queued after the commit was lost
        await sweep_deliveries(runtime, now=attempted + RETRY_AFTER / 2)
        assert not await queued_delivery(runtime, other_id)
        await sweep_deliveries(runtime, now=attempted + RETRY_AFTER + timedelta(seconds=1))
        assert await queued_delivery(runtime, other_id)

    shown = {n["id"]: n for n in (await client.get("/api/notifications", headers=account.headers)).json()["items"]}
    assert shown[str(notification_id)]["email"] == "failed"
    assert "not sent" in shown[str(notification_id)]["delivery_error"]


async def drop_queued_deliveries(runtime) -> None:
    for job in await runtime.queue.queued_jobs(queue_name=CONTROL_QUEUE):
        if job.function == "deliver_notification":
            await runtime.queue.zrem(CONTROL_QUEUE, job.job_id)
            await runtime.queue.delete(job_key_prefix + job.job_id)


async def queued_delivery(runtime, notification_id: uuid.UUID) -> bool:
    jobs = await runtime.queue.queued_jobs(queue_name=CONTROL_QUEUE)
    return any(job.function == "deliver_notification" and job.args[1] == str(notification_id) for job in jobs)

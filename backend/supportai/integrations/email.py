"""Owner e-mail over SMTP (aiosmtplib), behind a small Protocol.

The SMTP server is the deployment's (SUPPORTAI_SMTP_*), not the tenant's: owners choose
the address their alerts go to, not how they are sent. Without a host, e-mail is off and
`mailer_for` gives None.
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Protocol

import aiosmtplib

from supportai.integrations.http import IntegrationError


class EmailError(IntegrationError):
    """The SMTP server refused the message or could not be reached."""


class Mailer(Protocol):
    async def send(self, to: str, subject: str, text: str) -> None:
        """Send one plain-text message; raises EmailError."""
        ...


class SmtpMailer:
    def __init__(
        self, host: str, port: int, sender: str, *, username: str | None = None, password: str | None = None,
        starttls: bool = False, timeout: float = 15.0,
    ) -> None:
        self._options = dict(hostname=host, port=port, username=username, password=password,
                             start_tls=starttls, timeout=timeout)
        self._sender = sender

    async def send(self, to: str, subject: str, text: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self._sender, to, subject
        message.set_content(text)
        try:
            await aiosmtplib.send(message, **self._options)  # type: ignore[arg-type]
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise EmailError(f"e-mail to {to} not sent: {exc}") from exc

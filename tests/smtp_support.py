"""A real SMTP server for the mail tests (aiosmtpd on 127.0.0.1 and a free port), which can be stopped and
started again on the same port (a mail server that is down, then back) and refuse chosen recipients; and the
settings that point Django's SMTP backend at it."""

from __future__ import annotations

import email
import email.policy
import logging
import socket
import threading
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from django.test import override_settings

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO


@dataclass
class Received:
    to: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return self.message.get_content()

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients answered "550 no such user"
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's)
        if address in self.refuse:
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailServer:
    def __init__(self):
        self.handler = Handler()
        self.port = free_port()
        self.controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def start(self) -> MailServer:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def settings(self, **more):
        values = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": 5,
            "SITE_URL": "https://planner.example.test",
            "DEFAULT_FROM_EMAIL": "Campaign Schedule Planner <planner@example.test>",
        }
        values.update(more)
        return override_settings(**values)

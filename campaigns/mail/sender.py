"""Sending one email through Django's mail framework (SMTP in production, the console on the embedded default),
with a timeout (EMAIL_TIMEOUT) and an answer that says whether trying again can help.

    deliver(Outgoing(...)) -> Result(outcome=SENT | RETRY | REFUSED, error=...)

SENT: the server accepted it. RETRY: no connection, a timeout, a 4xx answer, or anything else that may pass (the
outbox tries again later). REFUSED: the server answered 5xx for the recipient, the sender or the message, which
the same message will meet again (the outbox gives up on it and says why).
"""

from __future__ import annotations

import enum
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY = "retry"
    REFUSED = "refused"


@dataclass(frozen=True)
class Outgoing:
    to: str
    subject: str
    body: str
    message_id: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    error: str = ""


def _permanent(code: object) -> bool:
    return isinstance(code, int) and 500 <= code < 600


def deliver(message: Outgoing, *, connection=None) -> Result:
    """Hand `message` to the configured mail backend once; never raises for a mail server's answer."""
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={**message.headers, "Message-ID": message.message_id},
        connection=connection or get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT),
    )
    try:
        sent = email.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        outcome = Outcome.REFUSED if codes and all(_permanent(c) for c in codes) else Outcome.RETRY
        return Result(outcome, f"recipient refused: {_said(exc.recipients)}")
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        outcome = Outcome.REFUSED if _permanent(exc.smtp_code) else Outcome.RETRY
        return Result(outcome, f"{type(exc).__name__} {exc.smtp_code}: {_text(exc.smtp_error)}")
    except smtplib.SMTPResponseException as exc:  # connect, helo, authentication: a setting or a server to fix
        return Result(Outcome.RETRY, f"{type(exc).__name__} {exc.smtp_code}: {_text(exc.smtp_error)}")
    except (smtplib.SMTPException, OSError) as exc:  # refused or dropped connection, timeout, TLS failure
        return Result(Outcome.RETRY, f"{type(exc).__name__}: {exc}"[:500])
    if sent != 1:
        return Result(Outcome.RETRY, "the mail backend accepted nothing")
    return Result(Outcome.SENT)


def _text(raw: object) -> str:
    return (raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw))[:300]


def _said(recipients: dict) -> str:
    return "; ".join(f"{address}: {code} {_text(text)}" for address, (code, text) in recipients.items())

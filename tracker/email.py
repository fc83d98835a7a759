"""One way out for email: `send_email`, with the backend chosen by EMAIL_BACKEND.

- "smtp" (the default): MAIL_SERVER / MAIL_PORT, with STARTTLS and login when configured.
- "notify": GOV.UK Notify, through one Notify template whose subject is `((subject))` and
  whose body is `((body))` (see NOTIFY_TEMPLATE_ID in config.py).

Nothing here touches the database: callers send only after their transaction has committed
(the outbox in services/outbox.py is the only caller for reminders).
"""

from __future__ import annotations

import functools
import ipaddress
import smtplib
import socket
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from flask import current_app

from .inputs import one_line


class EmailError(Exception):
    """A send failed.

    `transient` failures are worth retrying later; the rest are not. `service_unavailable`
    says the mail service itself could not be reached (rather than this one email being
    refused), so there is no point trying the next email straight away either.
    """

    def __init__(self, message: str, *, transient: bool, service_unavailable: bool = False) -> None:
        super().__init__(message)
        self.transient = transient
        self.service_unavailable = service_unavailable


def send_email(*, to: str, subject: str, text: str, html: str, reference: str | None = None) -> str:
    """Send one email now and return the backend's id for it; raises EmailError if it did not go.

    `reference` names the email stably (the outbox passes one per row): SMTP uses it as the
    Message-ID, so if a crash makes us send the same row twice, mail systems see one message;
    Notify stores it as the notification's reference.
    """
    backend = current_app.config["EMAIL_BACKEND"]
    if backend == "smtp":
        return _send_smtp(to=to, subject=subject, text=text, html=html, reference=reference)
    if backend == "notify":
        return _send_notify(to=to, subject=subject, text=text, reference=reference)
    raise EmailError(f"Unknown EMAIL_BACKEND {backend!r}: use smtp or notify", transient=True, service_unavailable=True)


@functools.cache
def _ehlo_name() -> str:
    """This machine's name for EHLO, looked up once per process.

    smtplib otherwise calls socket.getfqdn() for every connection, and a reverse DNS lookup
    can take seconds where the resolver is slow or unreachable.
    """
    return socket.getfqdn()


def _is_local(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in ("", "localhost") or host.endswith(".localhost") or "." not in host


def _sender_domain() -> str:
    """The domain for Message-IDs: the sender's, or the BASE_URL's host when the sender's is
    local (tracker@localhost); `localhost` only when neither names a real host."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip(" >").lower()
    if not _is_local(sender):
        return sender
    host = (urlsplit(current_app.config["BASE_URL"]).hostname or "").lower()
    if host and host != "localhost":
        return host
    return sender or "localhost"


def _build_message(*, to: str, subject: str, text: str, html: str, reference: str | None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = one_line(subject)  # a line break would be refused as header injection
    message["Date"] = formatdate(localtime=False, usegmt=True)
    # Sent by a program, not a person: out-of-office and other automatic replies stay away
    # (RFC 3834, and the header Exchange and Outlook honour).
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message["Message-ID"] = f"<{reference}@{_sender_domain()}>" if reference else make_msgid(domain=_sender_domain())
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def _send_smtp(*, to: str, subject: str, text: str, html: str, reference: str | None) -> str:
    config = current_app.config
    message = _build_message(to=to, subject=subject, text=text, html=html, reference=reference)
    try:
        with smtplib.SMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], local_hostname=_ehlo_name(), timeout=config["MAIL_TIMEOUT"]
        ) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        raise EmailError(
            f"Recipient refused: {error.recipients}", transient=all(400 <= code < 500 for code in codes)
        ) from error
    except (smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected) as error:
        raise EmailError(
            f"Could not reach the mail server: {error}", transient=True, service_unavailable=True
        ) from error
    except smtplib.SMTPResponseException as error:
        detail = error.smtp_error
        detail = detail.decode(errors="replace") if isinstance(detail, bytes) else str(detail)
        # 421: the server is shutting down or overloaded; it is not this email's fault.
        raise EmailError(
            f"SMTP {error.smtp_code}: {detail}",
            transient=400 <= error.smtp_code < 500,
            service_unavailable=error.smtp_code == 421,
        ) from error
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        # Connection refused, reset or timed out: the server may be back on the next run.
        raise EmailError(
            f"Could not reach the mail server: {error}", transient=True, service_unavailable=True
        ) from error
    return message["Message-ID"]


def _send_notify(*, to: str, subject: str, text: str, reference: str | None) -> str:
    from notifications_python_client.errors import APIError
    from notifications_python_client.notifications import NotificationsAPIClient

    config = current_app.config
    try:
        client = NotificationsAPIClient(
            config["NOTIFY_API_KEY"] or "", base_url=config["NOTIFY_BASE_URL"], timeout=config["MAIL_TIMEOUT"]
        )
    except (AssertionError, ValueError) as error:
        raise EmailError(
            "NOTIFY_API_KEY is missing or not a GOV.UK Notify API key", transient=True, service_unavailable=True
        ) from error
    try:
        response = client.send_email_notification(
            email_address=to,
            template_id=config["NOTIFY_TEMPLATE_ID"],
            personalisation={"subject": one_line(subject), "body": text},
            reference=reference,
        )
    except APIError as error:
        status = error.status_code
        unreachable = error.response is None  # connection refused or timed out: no answer at all
        raise EmailError(
            f"GOV.UK Notify {status}: {_notify_message(error)}",
            transient=status >= 500 or status == 429,
            service_unavailable=unreachable or status >= 500 or status == 429,
        ) from error
    return str(response["id"])


def _notify_message(error) -> str:
    message = error.message
    if isinstance(message, list):  # Notify answers {"errors": [{"error": ..., "message": ...}]}
        return "; ".join(str(item.get("message", item)) if isinstance(item, dict) else str(item) for item in message)
    return str(message)

"""Sending the reminders: over SMTP with the standard library (`smtplib`, in a thread), on a
schedule in the server (`keep_sending`, started by the app's lifespan when
`KOMPETANSE_SMTP_HOST` is set) and by `kompetanse reminders send [--dry-run]`.

A round: take the lease (one process sends), mark what a stopped process left mid-send as
`unknown`, send again what failed and whose retry time has come, then work out what is due
today (`catalog._reminder_plans.Planner`) and, for each message no earlier round recorded, record
the claim, send, and record the outcome (`catalog._reminders.Outbox`). While the completion
projection rebuilds or is far behind, the kept statuses may be old: the round waits.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate

from catalog._reminder_plans import Planner, Timing
from catalog._reminders import Message, Outbox
from kompetanse.metrics import EMAILS_FAILED, EMAILS_SENT
from kompetanse.services import Services
from kompetanse.settings import Settings

log = logging.getLogger(__name__)
_LEASE = 600.0  # seconds the sender's lease lasts; renewed as a round goes on
_HOLD = 300.0  # seconds a claim is held before a stopped sender's message is taken as unknown
_FIRST_DELAY = 5.0  # seconds after start before the first round (the projection starts first)


@dataclass
class Round:
    """What one round did."""

    leased: bool = True
    waited: str | None = None  # why the round did not plan (the statuses are behind)
    planned: list[Message] = field(default_factory=list)  # new messages due (dry run: all)
    sent: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0
    unknown: int = 0


class Mailer:
    """Hands messages to the configured SMTP server (STARTTLS and sign-in as set), one
    connection for a round's messages."""

    def __init__(self, settings: Settings) -> None:
        if settings.smtp_host is None:
            raise ValueError("set KOMPETANSE_SMTP_HOST (and KOMPETANSE_SMTP_PORT) to send e-mail")
        self.settings = settings
        self.host = settings.smtp_host
        self._smtp: smtplib.SMTP | None = None

    def email(self, message: Message) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.settings.smtp_from
        email["To"] = message.to
        email["Subject"] = message.subject
        email["Date"] = formatdate(localtime=False)
        # the same key gives the same Message-ID, so a receiving system can tell a repeat
        digest = hashlib.sha256(message.key.encode()).hexdigest()[:32]
        email["Message-ID"] = f"<{digest}@kompetanse>"
        email["Auto-Submitted"] = "auto-generated"
        email["X-Kompetanse-Kind"] = message.kind
        email.set_content(message.body)
        email["Content-Language"] = message.language  # after set_content, which clears it
        return email

    async def send(self, message: Message) -> None:
        await asyncio.to_thread(self._send, self.email(message))

    async def close(self) -> None:
        """End the connection a round kept open (the next round opens its own)."""
        await asyncio.to_thread(self._close)

    def _send(self, email: EmailMessage) -> None:
        """Over the round's connection, opened at its first message; after any failure the
        connection is closed, and the next message opens a new one."""
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.send_message(email)
        except BaseException:
            self._close()
            raise

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        smtp = smtplib.SMTP(self.host, s.smtp_port, timeout=s.smtp_timeout_seconds)
        try:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user is not None and s.smtp_password is not None:
                smtp.login(s.smtp_user, s.smtp_password.get_secret_value())
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


class Sender:
    def __init__(self, services: Services, outbox: Outbox, mailer: Mailer | None = None) -> None:
        settings = services.settings
        self.services = services
        self.outbox = outbox
        self.settings = settings
        self.mailer = mailer
        self.planner = Planner(services.catalog, outbox, timing(settings))

    async def run_once(self, *, dry_run: bool = False) -> Round:
        """One round; `dry_run`: only work out what is due (nothing recorded or sent)."""
        done = Round()
        if dry_run:
            done.planned = await self.outbox.unrecorded(await self.planner.due())
            return done
        if self.mailer is None:
            raise ValueError("set KOMPETANSE_SMTP_HOST to send reminders")
        if not await self.outbox.lease(_LEASE):
            done.leased = False
            return done
        try:
            done.unknown = await self.outbox.abandon_stale()
            for message in await self.outbox.due_again(hold=_HOLD):
                done.retried += 1
                await self._deliver(message, done)
            lag = await self.services.catalog.lag()
            if lag.rebuilding or lag.seconds > self.settings.ready_max_lag_seconds:
                done.waited = "the completion projection is behind; the statuses may be old"
                return done
            done.planned = await self.outbox.unrecorded(await self.planner.due())
            for number, message in enumerate(done.planned):
                if number % 100 == 99:
                    await self.outbox.lease(_LEASE)
                if not await self.outbox.claim(message, hold=_HOLD):
                    done.skipped += 1 if not message.body else 0
                    continue
                await self._deliver(message, done)
        finally:
            await self.mailer.close()
            await self.outbox.release()
        return done

    async def _deliver(self, message: Message, done: Round) -> None:
        assert self.mailer is not None  # noqa: S101 - run_once's condition
        try:
            await self.mailer.send(message)
        except Exception as error:  # whatever stopped this message, it is this message's failure
            EMAILS_FAILED.inc()
            done.failed += 1
            state = await self.outbox.failed(
                message.key,
                f"{type(error).__name__}: {error}",
                retry=self.settings.reminder_retry_seconds,
                max_attempts=self.settings.reminder_max_attempts,
            )
            log.warning("reminder %s not sent (%s): %s", message.key, state, error)
            return
        EMAILS_SENT.inc()
        done.sent += 1
        await self.outbox.sent(message.key)

    async def keep_sending(self) -> None:
        """The server's task: a round every `reminder_interval_seconds`; a failing round is
        logged and the next one tries again."""
        await asyncio.sleep(_FIRST_DELAY)
        while True:
            try:
                done = await self.run_once()
                if done.sent or done.failed:
                    log.info("reminders: %d sent, %d failed", done.sent, done.failed)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("a round of reminders failed; the next one tries again")
            await asyncio.sleep(self.settings.reminder_interval_seconds)


def timing(settings: Settings) -> Timing:
    return Timing(
        lead_days=tuple(settings.reminder_lead_days),
        overdue_within_days=settings.reminder_overdue_within_days,
        digest_weekday=settings.reminder_digest_weekday,
        base_url=settings.public_url or f"http://{settings.host}:{settings.port}",
    )


async def open_outbox(services: Services) -> Outbox:
    outbox = Outbox(services.database)
    await outbox.create_indexes()
    return outbox


async def sender(services: Services) -> Sender:
    """The outbox on the services' database and, when an SMTP host is set, its mailer."""
    outbox = await open_outbox(services)
    mailer = Mailer(services.settings) if services.settings.smtp_host else None
    return Sender(services, outbox, mailer)

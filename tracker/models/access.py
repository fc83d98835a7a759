from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import SHOWN_NOWHERE, UTCDateTime, utc_now

if TYPE_CHECKING:
    from .action import Action
    from .role import Contact
    from .user import User


class ApiToken(db.Model):
    """A bearer token for /api/v1. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_tokens"
    __shown_in__ = SHOWN_NOWHERE  # no kept page shows these rows

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class PartnerLink(db.Model):
    """A signed, expiring link that lets one role holder without an account update one action.

    The link names this row; it works only while the row is not revoked, not expired, the
    action is open, and the contact still holds one of the action's owner roles.
    """

    __tablename__ = "partner_links"
    __shown_in__ = "action_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    action: Mapped[Action] = relationship()
    contact: Mapped[Contact] = relationship()


class SignInAttempt(db.Model):
    """Failed sign-ins per email and per address in a time window, shared by every web worker."""

    __tablename__ = "sign_in_attempts"
    __shown_in__ = SHOWN_NOWHERE  # no kept page shows these rows
    __table_args__ = (Index("ix_sign_in_attempts_key_window", "key", "window_start", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300))  # "email:..." or "ip:..."
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(default=0)

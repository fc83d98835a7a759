from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, string_enum, utc_now

if TYPE_CHECKING:
    from .user import User


class AccessLevel(enum.StrEnum):
    """What a member of an organisation may do there (see tracker/permissions.py)."""

    ADMIN = "admin"
    MANAGER = "manager"
    BOARD = "board"
    OWNER = "owner"
    OVERSIGHT = "oversight"

    @property
    def label(self) -> str:
        return {
            "admin": "Administrator",
            "manager": "Manager",
            "board": "Board member",
            "owner": "Action owner",
            "oversight": "Oversight (read only)",
        }[self.value]


# Levels a membership may hold. Oversight is not one of them: it comes from an oversight grant
# (models/oversight.py), given by a system administrator, never by an organisation's admin.
MEMBER_LEVELS = (AccessLevel.ADMIN, AccessLevel.MANAGER, AccessLevel.BOARD, AccessLevel.OWNER)


class Organisation(db.Model):
    """A youth offending service or partner body: it has roles, members, reports, meetings."""

    __tablename__ = "organisations"
    __shown_in__ = "id"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    # The organisation's own privacy notice (administrators edit it); None: the default text.
    privacy_notice: Mapped[str | None] = mapped_column(Text)

    memberships: Mapped[list[Membership]] = relationship(back_populates="organisation", cascade="all, delete-orphan")
    # Email domains whose single sign-on accounts may sign in here (none: single sign-on is not
    # accepted for this organisation). Set by a system administrator only.
    sso_domains: Mapped[list[SsoDomain]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="SsoDomain.domain"
    )

    @property
    def sso_domain_names(self) -> list[str]:
        return [entry.domain for entry in self.sso_domains]

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    access_level: Mapped[AccessLevel] = mapped_column(string_enum(AccessLevel))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")


class SsoDomain(db.Model):
    """An email domain accepted for single sign-on, owned by exactly one organisation."""

    __tablename__ = "sso_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(253), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    organisation: Mapped[Organisation] = relationship(back_populates="sso_domains")

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utc_now

if TYPE_CHECKING:
    from .organisation import Organisation
    from .user import User


class Contact(db.Model):
    """Someone who can hold a role: a user of the tracker, or a partner known only by email."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("organisation_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User | None] = relationship()


class Role(db.Model):
    """An accountable position, e.g. "Chair of the YOS Management Board".

    Actions are owned by roles, not people: when the holder changes, every action, reminder
    and view follows at once.
    """

    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The role that board escalations go to (the board chair); at most one per organisation.
    is_board_chair: Mapped[bool] = mapped_column(default=False)
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    organisation: Mapped[Organisation] = relationship()
    holder: Mapped[Contact | None] = relationship(foreign_keys=[holder_id])
    deputy: Mapped[Contact | None] = relationship(foreign_keys=[deputy_id])
    aliases: Mapped[list[RoleAlias]] = relationship(
        back_populates="role", cascade="all, delete-orphan", order_by="RoleAlias.id"
    )
    tenures: Mapped[list[RoleTenure]] = relationship(
        back_populates="role", cascade="all, delete-orphan", order_by="RoleTenure.started_at"
    )

    @property
    def names(self) -> list[str]:
        """The role's name and every way reports have written it."""
        return [self.name, *(alias.name for alias in self.aliases)]

    def __repr__(self) -> str:
        return f"<Role {self.name!r}>"


class RoleAlias(db.Model):
    """Another way a report writes a role ("Chair of YOT Management Board")."""

    __tablename__ = "role_aliases"
    __shown_in__ = "role_id"
    __table_args__ = (UniqueConstraint("role_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    role: Mapped[Role] = relationship(back_populates="aliases")


class RoleTenure(db.Model):
    """Who held a role, and when, so history can say who was accountable at the time."""

    __tablename__ = "role_tenures"
    __shown_in__ = "role_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    role: Mapped[Role] = relationship(back_populates="tenures")
    contact: Mapped[Contact] = relationship()

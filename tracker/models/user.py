from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .types import SHOWN_EVERYWHERE, UTCDateTime, utc_now

if TYPE_CHECKING:
    from .organisation import Membership


class User(UserMixin, db.Model):
    """A person who signs in. What they may see comes from their memberships."""

    __tablename__ = "users"
    __shown_in__ = SHOWN_EVERYWHERE  # names show on every page that lists people
    __unshown_columns__ = frozenset({"password_hash", "session_token", "last_signed_in_at"})

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    # Changing this signs the user out everywhere (it is part of the session identifier).
    session_token: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "issuer|subject" from the first single sign-on; later sign-ins must name the same account.
    sso_subject: Mapped[str | None] = mapped_column(String(400), unique=True)
    # Set when the person was forgotten (services/privacy/forgetting.py): name and email are then a
    # placeholder, and nothing else about them is kept.
    forgotten_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # System administrators run the installation: organisations, oversight grants, single
    # sign-on domains. Set from the command line (`flask tracker make-system-admin`) only.
    is_system_admin: Mapped[bool] = mapped_column(default=False, server_default=false())

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email}>"

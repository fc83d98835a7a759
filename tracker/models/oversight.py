"""Oversight grants: an oversight body (the Youth Justice Board, a regional partnership) reading
the organisations it oversees. Not a level inside one organisation: only a system administrator
gives or withdraws a grant, and it reads exactly the organisations it lists (or all of them)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import SHOWN_NOWHERE, UTCDateTime, utc_now

if TYPE_CHECKING:
    from .organisation import Organisation
    from .user import User

oversight_grant_organisations = Table(
    "oversight_grant_organisations",
    db.metadata,
    Column("grant_id", ForeignKey("oversight_grants.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class OversightGrant(db.Model):
    """One person reading for one oversight body. Withdrawn grants are kept, with who withdrew
    them and when, so the system administrators' page can show what was given and taken away."""

    __tablename__ = "oversight_grants"
    # What a grant lets someone read is part of the page cache's key (permissions.access_fingerprint),
    # so no kept page needs a change counter raised for it.
    __shown_in__ = SHOWN_NOWHERE

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body_name: Mapped[str] = mapped_column(String(200))
    # True: every organisation, including those created later. False: only `organisations`.
    all_organisations: Mapped[bool] = mapped_column(default=False)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # How the granter is shown even if their account goes: an email or "command line".
    granted_by_label: Mapped[str] = mapped_column(String(254))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_by_label: Mapped[str | None] = mapped_column(String(254))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organisations: Mapped[list[Organisation]] = relationship(
        secondary=oversight_grant_organisations, order_by="Organisation.name"
    )

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def scope_text(self) -> str:
        """What the grant reads, as a phrase: "every organisation" or their names."""
        if self.all_organisations:
            return "every organisation"
        names = [organisation.name for organisation in self.organisations]
        return (
            ", ".join(names[:-1]) + f" and {names[-1]}"
            if len(names) > 1
            else (names[0] if names else "no organisation")
        )

    def __repr__(self) -> str:
        return f"<OversightGrant {self.body_name!r} user={self.user_id}>"

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, string_enum, utc_now

if TYPE_CHECKING:
    from .organisation import Organisation
    from .report import Recommendation
    from .role import Contact, Role
    from .user import User


class Status(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    VERIFIED = "verified"
    WITHDRAWN = "withdrawn"

    # The sets every layer counts and filters by, defined once (set just below the class).
    OPEN: ClassVar[tuple[Status, ...]]  # work still to do: reminders, overdue, due soon
    DONE: ClassVar[tuple[Status, ...]]  # done, whether or not the board has signed it off
    CLOSED: ClassVar[tuple[Status, ...]]  # no reminders, never overdue
    FINISHED: ClassVar[tuple[Status, ...]]  # nothing more for anyone to do: verified or withdrawn

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_closed(self) -> bool:
        """Closed actions get no reminders and are never overdue."""
        return self in Status.CLOSED

    @classmethod
    def named(cls, value: object) -> Status | None:
        """The status a request's text names, or None for anything else (never raises)."""
        return cls(value) if isinstance(value, str) and value in cls._value2member_map_ else None


Status.OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS)
Status.DONE = (Status.COMPLETED, Status.VERIFIED)
Status.CLOSED = (Status.COMPLETED, Status.VERIFIED, Status.WITHDRAWN)
Status.FINISHED = (Status.VERIFIED, Status.WITHDRAWN)


class Flag(enum.StrEnum):
    AT_RISK = "at_risk"
    BLOCKED = "blocked"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class DeadlineChangeStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


def step_letters(position: int) -> str:
    """The letters of the step at `position` (from 0) under a recommendation: a, b, ... z, aa, ab."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


def next_step_number(recommendation: Recommendation) -> str:
    """The number the next step under `recommendation` takes: "1a" for its first, then "1b"."""
    taken = {action.step_number for action in recommendation.actions if action.step_number}
    position = sum(1 for action in recommendation.actions if action.title is not None)
    while f"{recommendation.number}{step_letters(position)}" in taken:
        position += 1
    return f"{recommendation.number}{step_letters(position)}"


class ActionOwner(db.Model):
    """A role that owns an action; one owner of each action is the lead."""

    __tablename__ = "action_owners"
    __shown_in__ = "action_id"

    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True, index=True)
    is_lead: Mapped[bool] = mapped_column(default=False)

    action: Mapped[Action] = relationship(back_populates="owners")
    role: Mapped[Role] = relationship()


class Action(db.Model):
    """The tracked work for a recommendation.

    Overdue and RAG are derived (see tracker/services/rag.py), never stored. `version` is
    bumped on every change so a stale form or API call can be refused rather than merged.
    """

    __tablename__ = "actions"
    __table_args__ = (Index("ix_actions_organisation_status_due", "organisation_id", "status", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id", ondelete="CASCADE"), index=True)
    # Empty for the action an import creates (it is the recommendation itself); set for the
    # further steps a manager adds under a recommendation.
    title: Mapped[str | None] = mapped_column(Text)
    # A step's own number, its recommendation's and a letter ("1a", "1b"); None for the
    # recommendation's own action, which goes by the recommendation's number.
    step_number: Mapped[str | None] = mapped_column(String(40))
    original_due_on: Mapped[date]
    due_on: Mapped[date] = mapped_column(index=True)
    status: Mapped[Status] = mapped_column(string_enum(Status), default=Status.NOT_STARTED)
    flag: Mapped[Flag | None] = mapped_column(string_enum(Flag))
    flag_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    # The board decision that allowed a withdrawal, e.g. "Board meeting 12 March 2026, item 4".
    withdrawn_decision: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_update_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    recommendation: Mapped[Recommendation] = relationship(back_populates="actions")
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    owners: Mapped[list[ActionOwner]] = relationship(
        back_populates="action",
        cascade="all, delete-orphan",
        order_by="(ActionOwner.is_lead.desc(), ActionOwner.role_id)",
    )
    updates: Mapped[list[Update]] = relationship(
        back_populates="action",
        cascade="all, delete-orphan",
        order_by="(Update.created_at.desc(), Update.id.desc())",
    )
    deadline_changes: Mapped[list[DeadlineChange]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="DeadlineChange.id"
    )

    @property
    def description(self) -> str:
        return self.title or self.recommendation.text

    @property
    def reference(self) -> str:
        """How people refer to it: "4" for a recommendation's own action, "4a" for a step."""
        return self.step_number or self.recommendation.number

    @property
    def lead_role(self) -> Role | None:
        return self.owners[0].role if self.owners else None

    @property
    def owner_roles(self) -> list[Role]:
        return [owner.role for owner in self.owners]


class Update(db.Model):
    """A progress update on an action: a note, and the status it moved from and to."""

    __tablename__ = "updates"
    __shown_in__ = "action_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Partners without accounts post through a signed link; they are recorded as a contact.
    author_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    status_before: Mapped[Status] = mapped_column(string_enum(Status))
    status_after: Mapped[Status] = mapped_column(string_enum(Status))
    # The flag as this update left it (None: no flag), and why.
    flag_after: Mapped[Flag | None] = mapped_column(string_enum(Flag))
    flag_reason: Mapped[str | None] = mapped_column(Text)
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    # An update brought in from a spreadsheet plan: "plan.xlsx, row 7", and the lead or author
    # the sheet names, if any. It was written by them, not by whoever imported the file.
    imported_from: Mapped[str | None] = mapped_column(String(400))
    imported_author: Mapped[str | None] = mapped_column(String(200))
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when a manager or admin removed the text (services/privacy/redaction.py): the note then says
    # who redacted it, when and why, and nothing of what it said.
    redacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    redacted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    redacted_reason: Mapped[str | None] = mapped_column(Text)

    action: Mapped[Action] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    redacted_by: Mapped[User | None] = relationship(foreign_keys=[redacted_by_id])
    author_contact: Mapped[Contact | None] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="update", cascade="all, delete-orphan", order_by="Evidence.id"
    )
    revisions: Mapped[list[UpdateRevision]] = relationship(
        back_populates="update", cascade="all, delete-orphan", order_by="UpdateRevision.id"
    )

    @property
    def author_name(self) -> str:
        if self.author is not None:
            return self.author.name
        if self.author_contact is not None:
            return self.author_contact.name
        if self.imported_from is not None:
            source = f"imported from {self.imported_from}"
            return f"{self.imported_author} ({source})" if self.imported_author else source[0].upper() + source[1:]
        return "Unknown"

    @property
    def records_board_decision(self) -> bool:
        """A sign-off, a withdrawal or a send-back: the record of a board decision, locked once made."""
        if self.status_after is not self.status_before and self.status_after in Status.FINISHED:
            return True
        return (
            self.status_before is Status.COMPLETED
            and self.status_after is Status.IN_PROGRESS
            and (self.note or "").startswith(SENT_BACK_NOTE)
        )


# How a send-back's update begins (services/board/decisions.py writes it): with the change from
# completed to in progress, it marks the board's decision.
SENT_BACK_NOTE = "Sent back to the owner: "


class DeadlineChange(db.Model):
    """A request to move an action's deadline, decided by the board. The original stays."""

    __tablename__ = "deadline_changes"
    __shown_in__ = "action_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    due_on_before: Mapped[date]
    requested_due_on: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[DeadlineChangeStatus] = mapped_column(
        string_enum(DeadlineChangeStatus), default=DeadlineChangeStatus.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    # A step asking past its recommendation's deadline asks for that to move too: one decision.
    moves_recommendation: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    action: Mapped[Action] = relationship(back_populates="deadline_changes")
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class UpdateRevision(db.Model):
    """An update's earlier wording: edits are kept, never silently changed."""

    __tablename__ = "update_revisions"
    __shown_in__ = "update_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("updates.id", ondelete="CASCADE"), index=True)
    note_before: Mapped[str] = mapped_column(Text)
    links_before: Mapped[list[str]] = mapped_column(JSON, default=list)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    update: Mapped[Update] = relationship(back_populates="revisions")
    edited_by: Mapped[User | None] = relationship()


class Evidence(db.Model):
    """A file attached to an update, stored under UPLOAD_DIR (outside the web root) by its hash."""

    __tablename__ = "evidence"
    __shown_in__ = "action_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("updates.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    stored_path: Mapped[str] = mapped_column(String(500))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    # Set when the file was removed (redaction, or the retention period ended): the row stays as
    # the record that a file was attached; its bytes, name and fingerprint are gone.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    removed_reason: Mapped[str | None] = mapped_column(Text)

    update: Mapped[Update] = relationship(back_populates="evidence")

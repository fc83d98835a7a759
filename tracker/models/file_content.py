from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import SHOWN_NOWHERE, UTCDateTime, utc_now


class FileContent(db.Model):
    """One kept file's bytes, when the file store is the database (FILE_STORE=database): every
    web server sees it, and it is backed up and restored with the rest of the data. Named like
    the disk store: `kind/sha256`."""

    __tablename__ = "file_contents"
    __shown_in__ = SHOWN_NOWHERE  # pages show the rows that name a file, not its bytes

    path: Mapped[str] = mapped_column(String(200), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)

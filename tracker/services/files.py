"""The file store: uploaded reports, evidence and staged imports, each named by the SHA-256 of
its content (`kind/sha256`), so the same file is stored once and a name can never be chosen by
whoever uploaded it.

Two backends (FILE_STORE in config.py):
- `disk`: files under UPLOAD_DIR (outside the web root). One server only.
- `database`: the bytes in the `file_contents` table, which every web server behind a load
  balancer sees, and which is backed up with the rest of the data; UPLOAD_DIR then only holds
  each server's local copies. The default on PostgreSQL.

Either way a file is written whole or not at all (a temporary file, fsync, rename), and its
content is checked against its name whenever it is read: a file damaged on disk reads as
missing (and, with the database store, is fetched again) rather than being trusted.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import delete, select

from tracker.extensions import db
from tracker.models import FileContent, utc_now
from tracker.services.dml import insert_for

DISK, DATABASE = "disk", "database"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    relative_path: str  # `kind/sha256`, as kept in the database


def backend(app: Flask | None = None) -> str:
    """FILE_STORE, or when it is not set: the database on PostgreSQL, the disk otherwise."""
    app = app or current_app
    chosen = app.config.get("FILE_STORE") or ""
    if not chosen:
        chosen = DATABASE if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") else DISK
    return chosen


def check_config(app: Flask) -> None:
    chosen = backend(app)
    if chosen not in (DISK, DATABASE):
        raise RuntimeError(f"FILE_STORE must be 'database' or 'disk', not {chosen!r}.")
    if chosen == DATABASE and not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        raise RuntimeError("FILE_STORE=database needs PostgreSQL; with SQLite use FILE_STORE=disk.")


def store(kind: str, data: bytes) -> StoredFile:
    """Keep `data` in the `kind` folder ("reports", "evidence", "staging"). Kept at once, in its
    own transaction: a file is named by its content, so keeping it twice changes nothing."""
    sha256 = hashlib.sha256(data).hexdigest()
    relative = f"{kind}/{sha256}"
    if backend() == DATABASE:
        _save_in_database(relative, sha256, data)
    path = _local(relative)
    if not _intact(path, relative):
        write_atomically(path, data)
    return StoredFile(sha256, relative)


def path_of(relative_path: str) -> Path:
    """A local file holding the kept content, checked against its name; when the store does not
    have it (or only a damaged copy), a path where no file is."""
    path = _local(relative_path)
    if _intact(path, relative_path):
        return path
    if path.is_file() and not path.is_dir():
        log.warning("Kept file %s does not match its hash; not used.", relative_path)
        path.unlink(missing_ok=True)
    if backend() == DATABASE and _expected_sha256(relative_path):
        data = db.session.scalar(select(FileContent.data).where(FileContent.path == relative_path))
        if data is not None and hashlib.sha256(data).hexdigest() == _expected_sha256(relative_path):
            write_atomically(path, data)
    return path


def read(relative_path: str) -> bytes | None:
    """The kept content, checked against its name, or None."""
    path = path_of(relative_path)
    return path.read_bytes() if path.is_file() else None


def forget_older_than(kind: str, cutoff: datetime) -> int:
    """Delete the database store's `kind` files kept before `cutoff` (local copies are tidied by
    their owners). Returns how many."""
    if backend() != DATABASE:
        return 0
    with db.engine.begin() as connection:
        return connection.execute(
            delete(FileContent).where(
                FileContent.path.startswith(f"{kind}/", autoescape=True), FileContent.created_at < cutoff
            )
        ).rowcount


def discard(relative_path: str) -> None:
    """Delete one kept file everywhere it is kept: the database store's row (in the caller's
    transaction) and this server's copy on disk. Used when a file must be gone, not just
    unused (services/privacy/redaction.py). Other web servers' local copies are caches that nothing
    names any more (the evidence row no longer holds the path), so none is ever served."""
    db.session.execute(delete(FileContent).where(FileContent.path == relative_path))
    _local(relative_path).unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync it, rename it over `path`, fsync the
    folder: after a crash the file is either whole or absent, never truncated."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _local(relative_path: str) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / relative_path


def _expected_sha256(relative_path: str) -> str | None:
    name = relative_path.rsplit("/", 1)[-1]
    return name if len(name) == 64 and all(c in "0123456789abcdef" for c in name) else None


def _intact(path: Path, relative_path: str) -> bool:
    expected = _expected_sha256(relative_path)
    if expected is None:  # a folder, not a file
        return path.exists()
    try:
        return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == expected
    except OSError:
        return False


def _save_in_database(relative_path: str, sha256: str, data: bytes) -> None:
    insert = insert_for(db.engine.dialect.name)
    with db.engine.begin() as connection:
        connection.execute(
            insert(FileContent)
            .values(
                path=relative_path,
                sha256=sha256,
                size_bytes=len(data),
                data=data,
                created_at=utc_now(),
            )
            .on_conflict_do_nothing(index_elements=["path"])
        )

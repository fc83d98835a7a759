"""The file store: uploaded reports, evidence and staged imports, kept under UPLOAD_DIR (outside
the web root), each named by the SHA-256 of its content, so the same file is stored once and a
name can never be chosen by whoever uploaded it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from flask import current_app


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    relative_path: str  # below UPLOAD_DIR, as kept in the database


def path_of(relative_path: str) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / relative_path


def store(kind: str, data: bytes) -> StoredFile:
    """Keep `data` in the `kind` folder ("reports", "evidence", "staging"); writing is skipped
    when the same content is already there."""
    sha256 = hashlib.sha256(data).hexdigest()
    relative = f"{kind}/{sha256}"
    path = path_of(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_bytes(data)
    return StoredFile(sha256, relative)

"""Evidence files: checked by content (not by name), size-limited, stored outside the web root
under UPLOAD_DIR by their SHA-256, and served only to people who may see the action."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from werkzeug.utils import secure_filename

from tracker.extensions import db
from tracker.models import Evidence, Update
from tracker.services import ServiceError, files

MAX_FILES_PER_UPDATE = 5


class EvidenceRejected(ServiceError):
    field = "evidence"
    pass


@dataclass(frozen=True)
class EvidenceFile:
    filename: str
    data: bytes


OFFICE_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
}


FILENAME_LIMIT = 255  # Evidence.filename's column
# The extension a file is stored and served under comes from its checked type, never from the
# name it was uploaded with: "minutes.html" holding text is kept as "minutes.txt", so no
# browser or desktop ever treats it as a page or a program.
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "text/plain": ".txt",
    **{media_type: extension for media_type, extension in OFFICE_TYPES.values()},
}


def name_for_type(filename: str, media_type: str) -> str:
    """A safe file name whose extension is the one its checked type has."""
    stem = secure_filename(filename or "")
    stem = stem.rpartition(".")[0] if "." in stem else stem
    extension = EXTENSIONS.get(media_type, ".bin")
    return _shortened((stem or "evidence")[: FILENAME_LIMIT - len(extension)] + extension, FILENAME_LIMIT)


def _shortened(name: str, limit: int) -> str:
    """A file name cut to `limit` characters, keeping its extension."""
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 16:
        return name[:limit]
    return stem[: limit - len(extension) - 1] + "." + extension


def detect_media_type(data: bytes) -> str | None:
    """What the bytes are, from their content; None for anything not accepted as evidence."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names:
            for prefix, (media_type, _) in OFFICE_TYPES.items():
                if any(name.startswith(prefix) for name in names):
                    return media_type
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    return "text/plain"


def check_files(files: list[EvidenceFile]) -> list[tuple[EvidenceFile, str]]:
    """Refuse the whole set if any file is empty, too large or of a type not accepted."""
    if len(files) > MAX_FILES_PER_UPDATE:
        raise EvidenceRejected(f"Attach at most {MAX_FILES_PER_UPDATE} files to one update.")
    limit = current_app.config["MAX_EVIDENCE_BYTES"]
    checked = []
    for file in files:
        name = _shortened(file.filename or "file", 80)
        if not file.data:
            raise EvidenceRejected(f"{name} is empty.")
        if len(file.data) > limit:
            raise EvidenceRejected(f"{name} is larger than {limit // 1048576} MB.")
        media_type = detect_media_type(file.data)
        if media_type is None:
            raise EvidenceRejected(
                f"{name} is not a type accepted as evidence. Use PDF, Word, Excel, PowerPoint, PNG, JPEG or text."
            )
        checked.append((file, media_type))
    return checked


def attach(update: Update, checked: list[tuple[EvidenceFile, str]]) -> list[Evidence]:
    """Store the checked files and record them on the update (the caller commits)."""
    stored = []
    for file, media_type in checked:
        kept = files.store("evidence", file.data)
        evidence = Evidence(
            update=update,
            action_id=update.action_id,
            filename=name_for_type(file.filename or f"evidence-{kept.sha256[:8]}", media_type),
            media_type=media_type,
            size_bytes=len(file.data),
            sha256=kept.sha256,
            stored_path=kept.relative_path,
        )
        db.session.add(evidence)
        stored.append(evidence)
    db.session.flush()
    return stored


def path_of(evidence: Evidence) -> Path:
    return files.path_of(evidence.stored_path)

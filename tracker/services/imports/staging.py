"""The import journey between upload and save: the uploaded bytes are staged in the file store
(services/files.py: on disk, or in the database with the database store) under a signed token;
no report, recommendation or action is saved until the manager confirms, and the reviewed
items are plain values the review screen edits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from tracker.importing import ParsedRecommendation, ParsedReport
from tracker.services import ServiceError, files
from tracker.services.imports import parsed_uploads

STAGED_FOR_HOURS = 24


class StagedUploadMissing(ServiceError):
    pass


@dataclass(frozen=True)
class StagedUpload:
    token: str
    filename: str
    sha256: str
    data: bytes


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="staged-import")


def _staging_path(sha256: str) -> Path:
    return files.path_of(f"staging/{sha256}")


def stage(data: bytes, filename: str) -> StagedUpload:
    """Keep the uploaded bytes for the review step; the token says which bytes, signed."""
    kept = files.store("staging", data)
    token = _serializer().dumps({"sha256": kept.sha256, "filename": filename[:200]})
    return StagedUpload(token, filename[:200], kept.sha256, data)


def load_staged(token: str) -> StagedUpload:
    try:
        payload = _serializer().loads(token, max_age=STAGED_FOR_HOURS * 3600)
        path = _staging_path(str(payload["sha256"]))
        data = path.read_bytes()
    except (BadSignature, KeyError, TypeError, OSError) as error:
        raise StagedUploadMissing("The upload has expired or could not be found. Upload the report again.") from error
    if hashlib.sha256(data).hexdigest() != payload["sha256"]:
        raise StagedUploadMissing("The upload has changed since it was read. Upload the report again.")
    return StagedUpload(token, str(payload["filename"]), payload["sha256"], data)


def forget_old_staged(now: float | None = None) -> int:
    """Delete staged uploads older than their token can be (the review was abandoned)."""
    import time

    cutoff = (now or time.time()) - STAGED_FOR_HOURS * 3600
    folder = files.path_of("staging")
    removed = 0
    for path in folder.glob("*") if folder.is_dir() else []:
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def read_staged(staged: StagedUpload) -> ParsedReport:
    """The staged bytes as read at upload (read once, in a child process, then kept)."""
    return parsed_uploads.read_report(staged.data, staged.filename)


@dataclass(frozen=True)
class ImportItem:
    """One recommendation as the manager confirmed it at review."""

    number: str
    text: str
    owners: tuple[str, ...]
    owner_source: str = "none"
    deadline_rule: str | None = None
    deadline_months: int | None = None
    due_on: date | None = None  # set when the manager typed a deadline for this item
    reported_owners: tuple[str, ...] = ()  # the owners as the report gave them
    origin: tuple[int, ...] = ()  # which parsed recommendations it came from (their index), for the source text
    selected: bool = False  # ticked at review for a bulk change; not saved

    @classmethod
    def from_parsed(cls, item: ParsedRecommendation) -> ImportItem:
        return cls(
            number=item.number,
            text=item.text,
            owners=tuple(item.owners),
            owner_source=item.owner_source,
            deadline_rule=item.deadline_rule,
            deadline_months=item.deadline_months,
            reported_owners=tuple(item.owners),
        )

    def with_owners(self, owners: tuple[str, ...]) -> ImportItem:
        """The item with the owners the manager confirmed; where they came from follows."""
        if not owners:
            source = "none"
        elif owners == self.reported_owners and self.owner_source not in {"none", "review"}:  # as the report says
            source = self.owner_source
        else:
            source = "review"
        return replace(self, owners=owners, owner_source=source)

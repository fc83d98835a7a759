"""What an uploaded file was read as, kept beside the staged upload, so the later pages of the
same import (the review's every operation, the plan's sheet, columns and preview) never read
the file again: each file is read once, in the child process of tracker/untrusted.py.

Kept on this server's disk in the staging folder (and tidied with it after a day), so it is safe
to lose: another web server, or this one after a restart, reads the file again, once. The
kept value is pickled and signed with SECRET_KEY (HMAC-SHA256), and never unpickled unless the
signature matches, so nothing written there by anyone else is ever loaded.
"""

from __future__ import annotations

import hashlib
import hmac
import pickle
from pathlib import Path

from flask import current_app

from tracker import untrusted
from tracker.importing import NoRecommendationsFound, ParsedReport
from tracker.services import files

_SIGNATURE_BYTES = 32


def _path(key: str) -> Path:
    return files.path_of("staging") / f"{key}.parsed"


def _signature(payload: bytes) -> bytes:
    return hmac.new(current_app.config["SECRET_KEY"].encode(), payload, hashlib.sha256).digest()


def _kept(key: str) -> object | None:
    try:
        blob = _path(key).read_bytes()
    except OSError:
        return None
    signature, payload = blob[:_SIGNATURE_BYTES], blob[_SIGNATURE_BYTES:]
    if not hmac.compare_digest(signature, _signature(payload)):
        return None
    try:
        return pickle.loads(payload)  # noqa: S301 - signed by this installation above
    except Exception:  # noqa: BLE001 - kept by an older version: read the file again
        return None


def _keep(key: str, value: object) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    files.write_atomically(_path(key), _signature(payload) + payload)


def _key(kind: str, data: bytes, *parts: str | None) -> str:
    digest = hashlib.sha256(data)
    for part in parts:
        digest.update(b"\x00" + (part or "").encode("utf-8", "replace"))
    return f"{kind}-{digest.hexdigest()}"


def read_report(data: bytes, filename: str) -> ParsedReport:
    """The report read once behind the boundary, then kept. Raises ReportReadError; "no
    recommendations found" (which still opens the review with the text) is kept as well."""
    key = _key("report", data, filename)
    kept = _kept(key)
    if kept is None:
        try:
            kept = untrusted.read_report(data, filename)
        except NoRecommendationsFound as error:
            kept = error
        _keep(key, kept)
    if isinstance(kept, NoRecommendationsFound):
        raise kept
    assert isinstance(kept, ParsedReport)  # the only other value kept under a "report" key
    return kept


def read_workbook(data: bytes, sheet_name: str | None = None):  # noqa: ANN201 - a plans Workbook
    """The plan's sheet read once behind the boundary, then kept. Raises PlanReadError."""
    kept = _kept(_key("sheet", data, sheet_name))
    if kept is None:
        kept = untrusted.read_workbook(data, sheet_name)
        # Kept under the name asked for and the name read: the first page asks for no name,
        # the later ones for the sheet it chose.
        for name in {sheet_name, kept.sheet.name}:
            _keep(_key("sheet", data, name), kept)
    return kept

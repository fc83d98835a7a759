"""Status and RAG words as plans write them, mapped to the tracker's status and flag.

Values are the tracker's own words (`not_started`, `at_risk`, ...) as plain strings, so this
package stays free of the database models."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class StatusReading:
    status: str | None = None  # not_started, in_progress, completed, verified
    flag: str | None = None  # at_risk, blocked
    problem: str | None = None


NOT_STARTED, IN_PROGRESS, COMPLETED, VERIFIED = "not_started", "in_progress", "completed", "verified"
AT_RISK, BLOCKED = "at_risk", "blocked"

WORDS: dict[str, tuple[str, str | None]] = {
    # RAG letters and colours (Blue is the usual "done" colour of a BRAG scale). Red is a
    # blocked action in the tracker (its RAG shows red), Amber one at risk.
    "g": (IN_PROGRESS, None),
    "green": (IN_PROGRESS, None),
    "a": (IN_PROGRESS, AT_RISK),
    "amber": (IN_PROGRESS, AT_RISK),
    "r": (IN_PROGRESS, BLOCKED),
    "red": (IN_PROGRESS, BLOCKED),
    "b": (COMPLETED, None),
    "blue": (COMPLETED, None),
    "ag": (IN_PROGRESS, None),
    "amber green": (IN_PROGRESS, None),
    "ar": (IN_PROGRESS, AT_RISK),
    "amber red": (IN_PROGRESS, AT_RISK),
    # words
    "not started": (NOT_STARTED, None),
    "not yet started": (NOT_STARTED, None),
    "to do": (NOT_STARTED, None),
    "planned": (NOT_STARTED, None),
    "open": (NOT_STARTED, None),
    "new": (NOT_STARTED, None),
    "in progress": (IN_PROGRESS, None),
    "on track": (IN_PROGRESS, None),
    "ongoing": (IN_PROGRESS, None),
    "started": (IN_PROGRESS, None),
    "progressing": (IN_PROGRESS, None),
    "underway": (IN_PROGRESS, None),
    "under way": (IN_PROGRESS, None),
    "partially complete": (IN_PROGRESS, None),
    "partly complete": (IN_PROGRESS, None),
    "partially met": (IN_PROGRESS, None),
    "at risk": (IN_PROGRESS, AT_RISK),
    "off track": (IN_PROGRESS, AT_RISK),
    "behind": (IN_PROGRESS, AT_RISK),
    "delayed": (IN_PROGRESS, AT_RISK),
    "slipped": (IN_PROGRESS, AT_RISK),
    "overdue": (IN_PROGRESS, AT_RISK),
    "some slippage": (IN_PROGRESS, AT_RISK),
    "blocked": (IN_PROGRESS, BLOCKED),
    "on hold": (IN_PROGRESS, BLOCKED),
    "complete": (COMPLETED, None),
    "completed": (COMPLETED, None),
    "done": (COMPLETED, None),
    "closed": (COMPLETED, None),
    "achieved": (COMPLETED, None),
    "met": (COMPLETED, None),
    "finished": (COMPLETED, None),
    "embedded": (COMPLETED, None),
    "verified": (VERIFIED, None),
    "signed off": (VERIFIED, None),
    "complete and verified": (VERIFIED, None),
    "completed and verified": (VERIFIED, None),
    "closed and verified": (VERIFIED, None),
}
WITHDRAWN = {"withdrawn", "cancelled", "canceled", "no longer required", "superseded"}
FLAG_WORDS = {"at risk": AT_RISK, "blocked": BLOCKED}


def normalise(text: str) -> str:
    return re.sub(r"[\s_/-]+", " ", re.sub(r"[^\w\s/-]", "", text.lower())).strip()


def is_status_word(value: object) -> bool:
    return isinstance(value, str) and normalise(value) in WORDS


def read_status(value: object) -> StatusReading:
    """Blank gives no status (the row is read as not started)."""
    if value is None or not str(value).strip():
        return StatusReading()
    word = normalise(str(value))
    if word in WORDS:
        status, flag = WORDS[word]
        return StatusReading(status, flag)
    if word in WITHDRAWN:
        return StatusReading(
            problem=f"\u201c{value}\u201d: withdrawing an action needs a board decision. Import it "
            "with its real status and withdraw it in the tracker, or skip the row."
        )
    return StatusReading(
        problem=f"\u201c{value}\u201d is not a status this importer knows. Use Not started, "
        "In progress, Completed, Verified, or a RAG colour (Red, Amber, Green, Blue)."
    )


def read_flag(value: object) -> StatusReading:
    if value is None or not str(value).strip() or normalise(str(value)) in {"none", "no"}:
        return StatusReading()
    word = normalise(str(value))
    for name, flag in FLAG_WORDS.items():  # "At risk: the reason", as the board pack writes it
        if word == name or word.startswith(name + " "):
            return StatusReading(flag=flag)
    return StatusReading(problem=f"\u201c{value}\u201d is not a flag: use At risk or Blocked, or leave it blank.")

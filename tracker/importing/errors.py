"""The one exception the importing package lets escape."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

_logger = logging.getLogger(__name__)

UNEXPECTED_PROBLEM = "could not be read because of an unexpected problem in the importer"


class ReportReadError(Exception):
    """A report could not be read or understood.

    ``str(error)`` is a single line written for the person who uploaded the file, so
    callers (the upload view, ``flask tracker parse``) can show it as it is. Every
    failure inside the package, including ones raised by third-party readers, is turned
    into this one type so callers need exactly one ``except``.
    """

    def __init__(self, message: str) -> None:
        one_line = " ".join(message.split())
        super().__init__(one_line)


class NoRecommendationsFound(ReportReadError):
    """The file was read, but no recommendations section was found in it.

    ``text`` is the clean text that was read, so the review screen can still open with the
    text on one side and let the manager make items by hand: never a dead end.
    """

    def __init__(self, message: str, text: str = "") -> None:
        super().__init__(message)
        self.text = text

    def __reduce__(self):  # noqa: ANN204 - keeps the text when sent back from the reading process
        return (type(self), (str(self), self.text))


@contextmanager
def only_report_read_errors(subject: str) -> Iterator[None]:
    """Let only ReportReadError out of the public entry points.

    Known problems are raised as ReportReadError where they are found. Anything else is
    a bug: it is logged with its traceback (so it gets fixed) and the user still gets a
    one-line message instead of a crash. The tests fail on this message.
    """
    try:
        yield
    except ReportReadError:
        raise
    except Exception as error:  # noqa: BLE001 - the boundary that keeps the promise above
        _logger.exception("Unexpected failure while reading %s", subject)
        raise ReportReadError(f"{subject} {UNEXPECTED_PROBLEM} ({type(error).__name__}); please report it") from error

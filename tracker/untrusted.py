"""The one boundary between the app and uploaded files: every reader runs in a child process.

A report (PDF, Word, HTML, text) or a plan (.xlsx, .xls, .csv) is read by third-party code that
a small hostile file can keep busy for minutes or make allocate gigabytes. Fixing each such file
one by one never ends, so no reader runs in a web worker or a command: :func:`run_reader` starts
a child process, limits its CPU time (RLIMIT_CPU) and address space (RLIMIT_AS) with
`resource.setrlimit`, and waits at most a wall-clock timeout before killing it. An archive
(.docx, .xlsx) is refused by the uncompressed size its directory declares before anything is
inflated. The limits live in config.py (UNTRUSTED_FILE_*); the readers themselves stay pure.

The child comes from the "forkserver" context: forking the web worker itself would copy its
threads' locks (a deadlock waiting to happen in a threaded server), and "spawn" starts a new
interpreter and imports the readers on every file. The fork server imports them once and forks
a clean child per file (bench/untrusted_bench.py measures the three).

Errors keep their type: the reader's own one-line error (ReportReadError, PlanReadError) comes
back as it was raised, and a file that runs out of time or memory raises the caller's error
type with a message saying so, so callers keep exactly one `except`.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import resource
import signal
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing import spawn
from typing import Any, TypeVar

from flask import current_app, has_app_context

Result = TypeVar("Result")

DEFAULTS = {
    "UNTRUSTED_FILE_CPU_SECONDS": 15,
    "UNTRUSTED_FILE_MEMORY_BYTES": 1024 * 1024 * 1024,
    "UNTRUSTED_FILE_TIMEOUT_SECONDS": 15.0,
    "UNTRUSTED_ARCHIVE_MAX_BYTES": 200 * 1024 * 1024,
}
# Imported once by the fork server, so each child starts with the readers ready (the readers
# import their libraries lazily; in a child that would be 100-400 ms per file).
_PRELOAD = [
    "tracker.untrusted",
    "tracker.importing",
    "tracker.plans",
    "pypdf",
    "openpyxl",
    "xlrd",
    "docx",
    "tracker.untrusted_server",
]
_context: multiprocessing.context.BaseContext | None = None


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int
    memory_bytes: int
    timeout_seconds: float
    archive_bytes: int

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None = None) -> Limits:
        """The limits in `config` (the app's when there is one), else the defaults."""
        if config is None:
            config = current_app.config if has_app_context() else {}
        value = {key: config.get(key, default) for key, default in DEFAULTS.items()}
        return cls(
            int(value["UNTRUSTED_FILE_CPU_SECONDS"]),
            int(value["UNTRUSTED_FILE_MEMORY_BYTES"]),
            float(value["UNTRUSTED_FILE_TIMEOUT_SECONDS"]),
            int(value["UNTRUSTED_ARCHIVE_MAX_BYTES"]),
        )


def _mb(count: int) -> str:
    return f"{count / (1024 * 1024):,.0f} MB"


def refuse_large_archive(data: bytes, name: str, limit: int, refusal: type[Exception]) -> None:
    """Refuse a ZIP archive (.docx, .xlsx) whose parts declare more than `limit` bytes unpacked.

    Only the archive's directory is read; Python's zipfile never inflates a part past the size
    its directory declares, so the declared sizes bound what any reader can unpack."""
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return  # the reader says what is wrong with it, in its own words
    if declared > limit:
        raise refusal(
            f"{name} is too large to read: it would unpack to {_mb(declared)}, more than the "
            f"{_mb(limit)} allowed. Delete unused parts (sheets, images) and upload it again."
        )


def _child(
    connection, limits: Limits, reader: Callable[..., Any], args: tuple, name: str, refusal: type[Exception]
) -> None:  # noqa: ANN001 - a multiprocessing Connection
    """Runs in the child: set the hard limits, read, send back ("ok", result) or ("error", error)."""
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    try:
        if args and isinstance(args[0], bytes):
            refuse_large_archive(args[0], name, limits.archive_bytes, refusal)
        outcome: tuple[str, Any] = ("ok", reader(*args))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as error:  # noqa: BLE001 - sent to the parent, which raises it there
        outcome = ("memory", None) if isinstance(error.__cause__, MemoryError) else ("error", error)
    try:
        connection.send(outcome)
    except MemoryError:
        connection.send(("memory", None))
    except Exception as error:  # noqa: BLE001 - an error that cannot be pickled still gets a message
        connection.send(("error", refusal(f"{name} could not be read ({type(error).__name__}).")))
    finally:
        connection.close()


def _get_context() -> multiprocessing.context.BaseContext:
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(_PRELOAD)
        # See tracker/untrusted_server.py; set even when empty, which marks the fork server.
        os.environ["TRACKER_UNTRUSTED_MAIN"] = spawn.get_preparation_data("reader").get("init_main_from_path") or ""
    return _context


def too_slow_message(name: str, limits: Limits) -> str:
    return (
        f"{name} could not be read in time: reading it took more than {limits.timeout_seconds:.0f} seconds, "
        "which no real document needs. It may be damaged; save it again and upload it."
    )


def too_large_message(name: str, limits: Limits) -> str:
    return (
        f"{name} is too large to read: it needed more than {_mb(limits.memory_bytes)} of memory. "
        "It may be damaged; save it again and upload it."
    )


def run_reader(
    reader: Callable[..., Result], *args: Any, name: str, refusal: type[Exception], limits: Limits | None = None
) -> Result:
    """`reader(*args)` in a child process under `limits`; its result, or its error raised here.

    `reader` must be a module-level function (it is pickled by name) and `refusal` the error
    type the caller already handles, built from one message. Never waits longer than the
    timeout: the child is killed and `refusal` says the file could not be read in time."""
    limits = limits or Limits.from_config()
    context = _get_context()
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sending, limits, reader, args, name, refusal), daemon=True)
    process.start()
    sending.close()
    try:
        if not receiving.poll(limits.timeout_seconds):
            raise refusal(too_slow_message(name, limits))
        try:
            kind, value = receiving.recv()
        except (EOFError, OSError):  # the child died: the kernel stopped it at a limit
            process.join(1)
            if process.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
                raise refusal(too_slow_message(name, limits)) from None
            raise refusal(too_large_message(name, limits)) from None
    finally:
        receiving.close()
        if process.is_alive():
            process.kill()
        process.join()
    if kind == "ok":
        return value
    if kind == "memory":
        raise refusal(too_large_message(name, limits))
    raise value


def read_report(data: bytes, filename: str):  # noqa: ANN201 - a ParsedReport
    """:func:`tracker.importing.read_report` behind the boundary; raises ReportReadError."""
    from .importing import ReportReadError, display_name
    from .importing import read_report as reader

    return run_reader(reader, data, filename, name=display_name(filename), refusal=ReportReadError)


def read_workbook(data: bytes, sheet_name: str | None = None):  # noqa: ANN201 - a plans Workbook
    """:func:`tracker.plans.read_workbook` behind the boundary; raises PlanReadError."""
    from .plans import PlanReadError
    from .plans import read_workbook as reader

    return run_reader(reader, data, sheet_name, name="The file", refusal=PlanReadError)

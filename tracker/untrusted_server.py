"""Imported first by the fork server of tracker/untrusted.py, and by nothing else.

multiprocessing imports the program's own script again in every child it starts ("__main__":
gunicorn's, pytest's, a bench script's), which costs up to a few hundred milliseconds per file
and runs code that has no business in a reader. It skips that when the child's `__main__`
already names the same file, so the fork server's `__main__` is given that name here (the
parent passes it in TRACKER_UNTRUSTED_MAIN). Nothing of the script is run.

It also reads a tiny report and plan of its own (`warm_up`), so each child starts with the
readers' caches built."""

import contextlib
import os
import sys

_main_path = os.environ.get("TRACKER_UNTRUSTED_MAIN")
if _main_path and not getattr(sys.modules["__main__"], "__file__", None):
    sys.modules["__main__"].__file__ = _main_path


def _tiny_pdf() -> bytes:
    """One page of text in a standard font: enough to make pypdf build its lazy tables."""
    stream = b"BT /F1 10 Tf 72 700 Td (Recommendations) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    output, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(output)


def _tiny_workbook() -> bytes:
    from tracker.exports import Sheet, xlsx_bytes

    return xlsx_bytes([Sheet("Plan", ["No.", "Recommendation", "Deadline"], [])])


def warm_up() -> None:
    """Read a tiny report and plan of our own once, so the caches every reader builds on its first
    file (about 250 ms for pypdf's) are built in the fork server and inherited by every child."""
    from tracker.importing import ReportReadError, read_report
    from tracker.plans import PlanReadError, read_workbook

    for reader, data, refused in (
        (read_report, _tiny_pdf(), ReportReadError),
        (read_report, b"Recommendations\n\n1. Review the plan.\n", ReportReadError),
    ):
        with contextlib.suppress(refused):
            reader(data, "warm-up")
    with contextlib.suppress(PlanReadError):
        read_workbook(_tiny_workbook())


if _main_path is not None:  # only in the fork server, which the parent gave the variable to
    with contextlib.suppress(Exception):  # a cold cache only costs time; the server must start regardless
        warm_up()

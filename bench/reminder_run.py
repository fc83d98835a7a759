"""One reminder run over the whole database, timed, in a process of its own so its peak
memory can be read. Emails go to an SMTP sink on loopback started here. Deciding and queueing
covers every action; delivery is timed over the first DELIVERY_SAMPLE emails, for the rate.

    DATABASE_URL=... python bench/reminder_run.py 2026-11-23
"""

from __future__ import annotations

import json
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402

DELIVERY_SAMPLE = 2000  # emails delivered per run to measure the rate; the rest stay pending


class Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def main() -> None:
    import socket

    from tracker import create_app
    from tracker.extensions import db
    from tracker.services.reminders.run import deliver_outbox, queue_reminders

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port, server_hostname="localhost")
    controller.start()
    app = create_app("development", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    results = []
    with app.app_context():
        # Each benchmark starts from an empty outbox, so a rerun measures the same work.
        db.session.execute(db.text("DELETE FROM notifications"))
        db.session.commit()
        for day in sys.argv[1:]:
            # The same two steps as `send-reminders`, timed apart: deciding and queueing over every
            # action, then delivering the outbox through SMTP.
            started = time.perf_counter()
            queued = queue_reminders(date.fromisoformat(day), actor="benchmark")
            db.session.commit()
            decided = time.perf_counter()
            delivered = deliver_outbox(date.fromisoformat(day), actor="benchmark", limit=DELIVERY_SAMPLE)
            finished = time.perf_counter()
            rate = delivered.sent / (finished - decided) if delivered.sent else 0
            results.append(
                {
                    "today": day,
                    "queue_seconds": round(decided - started, 2),
                    "delivery_seconds": round(finished - decided, 2),
                    "emails_per_second": round(rate, 1),
                    "queued": queued.queued,
                    "sent": delivered.sent,
                    "failed": delivered.failed,
                    "skipped": queued.skipped,
                    "all_delivered_seconds": round(queued.queued / rate, 1) if rate else None,
                }
            )
            # The rest of the day's emails are left pending; the next day's run starts from them
            # as the real outbox would (their keys stop the same reminders being queued again).
            # A day passes before the next run, and the database's automatic statistics catch up
            # with the rows just queued long before then; refresh them here, as that would.
            db.session.execute(db.text("ANALYZE notifications"))
            db.session.commit()
    controller.stop()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"runs": results, "peak_memory_mb": round(peak_mb, 1), "emails_received": sink.count}))


if __name__ == "__main__":
    main()

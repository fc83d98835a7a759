"""What create_app sets running besides the app itself: the session listeners are registered by
a named step, once, however many apps are made."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tracker import data_versions
from tracker.models import visibility


def _times_registered(name: str, listener) -> int:
    return list(getattr(Session.dispatch, name)._clslevel[Session]).count(listener)


def test_the_session_listeners_are_registered_once_however_many_apps_are_made(another_app):
    expected = [*data_versions.LISTENERS, ("do_orm_execute", visibility._leave_out_withdrawn_imports)]
    for _ in range(2):
        another_app()
        assert [_times_registered(name, listener) for name, listener in expected] == [1] * len(expected)


def test_importing_the_models_alone_installs_nothing():
    """Registration is create_app's step, not a side effect of an import (checked in a fresh
    interpreter, where no app has been made)."""
    import subprocess
    import sys

    code = (
        "from sqlalchemy import event\nfrom sqlalchemy.orm import Session\nimport tracker.models\n"
        "import tracker.data_versions as d\nfrom tracker.models import visibility as v\n"
        "print(any(event.contains(Session, n, f) for n, f in d.LISTENERS)"
        " or event.contains(Session, 'do_orm_execute', v._leave_out_withdrawn_imports))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"

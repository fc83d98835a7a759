"""Imported first by the fork server of tracker/untrusted.py, and by nothing else.

multiprocessing imports the program's own script again in every child it starts ("__main__":
gunicorn's, pytest's, a bench script's), which costs up to a few hundred milliseconds per file
and runs code that has no business in a reader. It skips that when the child's `__main__`
already names the same file, so the fork server's `__main__` is given that name here (the
parent passes it in TRACKER_UNTRUSTED_MAIN). Nothing of the script is run."""

import os
import sys

_main_path = os.environ.get("TRACKER_UNTRUSTED_MAIN")
if _main_path and not getattr(sys.modules["__main__"], "__file__", None):
    sys.modules["__main__"].__file__ = _main_path

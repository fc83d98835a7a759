"""Entry point for gunicorn (`gunicorn wsgi:app`) and the `flask --app wsgi ...` commands.

TRACKER_CONFIG chooses the configuration: development (default), test or production.
"""

from tracker import create_app

app = create_app()

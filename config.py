"""Configuration, read from environment variables.

Every setting the tracker reads is listed here once, with its default and what it is for.
`create_app(config_name)` picks one of the classes at the bottom: "development" (the default,
what `make run` uses), "test" (the test suite) or "production" (gunicorn and the scheduler).
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _flag(name: str, default: bool) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    # Hosting platforms still hand out "postgres://" URLs; SQLAlchemy wants psycopg 3 named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _database_url(default: str) -> str:
    return normalise_database_url(os.environ.get("DATABASE_URL", default))


class Config:
    # DATABASE_URL: where the data lives. Default: an SQLite file in instance/.
    # PostgreSQL in production, e.g. postgresql://tracker@db.internal/tracker (psycopg 3 is used).
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'tracker.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # SECRET_KEY: signs session cookies, CSRF tokens and one-time sign-in links.
    # Default: a fixed development value; production refuses to start without a real one.
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-secret-key-change-me")

    # EMAIL_BACKEND: how email leaves: "smtp" (the default, through MAIL_SERVER) or "notify"
    # (GOV.UK Notify, through NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID).
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "smtp")
    # NOTIFY_API_KEY: a GOV.UK Notify API key ("name-serviceid-secret"). Default none.
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY") or None
    # NOTIFY_TEMPLATE_ID: the Notify email template every email goes through. Make its subject
    # `((subject))` and its body `((body))`; the tracker fills both in. Default none.
    NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID") or None
    # NOTIFY_BASE_URL: where the Notify API lives. Default the real service; tests point it at
    # a local server.
    NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")

    # MAIL_SERVER / MAIL_PORT: the SMTP server reminders are sent through. Default localhost:25.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    # MAIL_USE_TLS: upgrade the SMTP connection with STARTTLS. Default off.
    MAIL_USE_TLS = _flag("MAIL_USE_TLS", False)
    # MAIL_USERNAME / MAIL_PASSWORD: SMTP credentials, if the server needs them. Default none.
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    # MAIL_DEFAULT_SENDER: the From address of every email.
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "tracker@localhost")
    # MAIL_TIMEOUT: seconds to wait for the SMTP server before counting a send as failed.
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))

    # BASE_URL: the address people use to reach the tracker; links in emails start with it.
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")

    # TRACKER_TIMEZONE: calendar dates (deadlines, "today" for reminders) are in this zone.
    TRACKER_TIMEZONE = os.environ.get("TRACKER_TIMEZONE", "Europe/London")
    # TRACKER_TODAY: a fixed "today" (a date) for every calendar date the app works out; None, the default,
    # is the real date. Browser tests set it, so what their pages show does not move with the calendar.
    TRACKER_TODAY = None

    # SESSION_COOKIE_SECURE: send the session cookie over HTTPS only. On in production.
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", False)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Flask-Login's "strong" protection drops the session if the browser's fingerprint changes.
    SESSION_PROTECTION = "strong"
    # SESSION_HOURS: how long a sign-in lasts without activity.
    PERMANENT_SESSION_LIFETIME = int(os.environ.get("SESSION_HOURS", "8")) * 3600

    # MAX_UPLOAD_MB: the largest report or evidence file accepted. Larger requests are refused
    # before they are read.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024

    # MAX_EVIDENCE_MB: the largest evidence file accepted on an update.
    MAX_EVIDENCE_BYTES = int(os.environ.get("MAX_EVIDENCE_MB", "10")) * 1024 * 1024

    # Every uploaded report or plan is read in a child process with hard limits
    # (tracker/untrusted.py), so no file can hold a web worker or exhaust its memory.
    # UNTRUSTED_FILE_CPU_SECONDS: CPU time the child may use (RLIMIT_CPU). Default 15.
    UNTRUSTED_FILE_CPU_SECONDS = int(os.environ.get("UNTRUSTED_FILE_CPU_SECONDS", "15"))
    # UNTRUSTED_FILE_MEMORY_BYTES: the child's address space (RLIMIT_AS). Default 1 GiB.
    UNTRUSTED_FILE_MEMORY_BYTES = int(os.environ.get("UNTRUSTED_FILE_MEMORY_BYTES", str(1024 * 1024 * 1024)))
    # UNTRUSTED_FILE_TIMEOUT_SECONDS: how long the web worker or command waits for the child
    # before killing it and saying the file could not be read in time. Default 15.
    UNTRUSTED_FILE_TIMEOUT_SECONDS = float(os.environ.get("UNTRUSTED_FILE_TIMEOUT_SECONDS", "15"))
    # UNTRUSTED_ARCHIVE_MAX_BYTES: a .docx or .xlsx whose parts declare more than this unpacked
    # is refused before anything is inflated. Default 200 MB.
    UNTRUSTED_ARCHIVE_MAX_BYTES = int(os.environ.get("UNTRUSTED_ARCHIVE_MAX_BYTES", str(200 * 1024 * 1024)))

    # PARTNER_LINK_DAYS: how long a link emailed to a partner without an account stays valid.
    PARTNER_LINK_DAYS = int(os.environ.get("PARTNER_LINK_DAYS", "30"))

    # UPLOAD_DIR: where original report files and evidence are kept, outside the web root.
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    # FILE_STORE: where kept files (reports, evidence, staged imports) live. "database" keeps
    # their bytes in the database, which every web server behind a load balancer shares (it
    # needs PostgreSQL; UPLOAD_DIR then holds only each server's local copies). "disk" keeps
    # them in UPLOAD_DIR only, for one server. Default: "database" on PostgreSQL, else "disk".
    FILE_STORE = os.environ.get("FILE_STORE", "")

    # REMINDER_HOUR: the hour (in TRACKER_TIMEZONE) the scheduler process runs reminders daily.
    # A scheduler started later in the day than this runs the day's reminders at once if they
    # have not run yet.
    REMINDER_HOUR = int(os.environ.get("REMINDER_HOUR", "7"))
    # OUTBOX_INTERVAL_MINUTES: how often the scheduler sends what is waiting in the outbox
    # (retries, and emails a manager asked to resend). Default every 5 minutes.
    OUTBOX_INTERVAL_MINUTES = int(os.environ.get("OUTBOX_INTERVAL_MINUTES", "5"))
    # MAIL_RETRY_MINUTES: the wait after a send fails for a reason that may pass (the mail
    # server is down, a mailbox is full); it doubles after each failure, up to 6 hours.
    MAIL_RETRY_MINUTES = int(os.environ.get("MAIL_RETRY_MINUTES", "5"))
    # MAIL_MAX_ATTEMPTS: tries before an email is marked failed and shown to managers
    # (10 tries with the default wait is about a day).
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "10"))

    # PROXY_COUNT: how many reverse proxies (e.g. nginx, a load balancer) stand in front of the
    # app. Their X-Forwarded-* headers are trusted only this deep. Default 0: trust none.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

    # SIGN_IN_LIMIT_PER_EMAIL / SIGN_IN_LIMIT_PER_ADDRESS: password reset requests allowed in 15
    # minutes for one email address, and from one client address, before more are refused.
    SIGN_IN_LIMIT_PER_EMAIL = int(os.environ.get("SIGN_IN_LIMIT_PER_EMAIL", "5"))
    SIGN_IN_LIMIT_PER_ADDRESS = int(os.environ.get("SIGN_IN_LIMIT_PER_ADDRESS", "50"))
    # Failed sign-ins never lock anyone out (tracker/services/throttling.py): after
    # SIGN_IN_FREE_FAILURES_PER_EMAIL failures for an address (or ..._PER_ADDRESS from one client
    # address) in 15 minutes, each attempt waits 1, 2, 4, 8... seconds before its password is
    # checked, at most SIGN_IN_MAX_DELAY_SECONDS. Defaults 3, 20 and 10.
    SIGN_IN_FREE_FAILURES_PER_EMAIL = int(os.environ.get("SIGN_IN_FREE_FAILURES_PER_EMAIL", "3"))
    SIGN_IN_FREE_FAILURES_PER_ADDRESS = int(os.environ.get("SIGN_IN_FREE_FAILURES_PER_ADDRESS", "20"))
    SIGN_IN_MAX_DELAY_SECONDS = float(os.environ.get("SIGN_IN_MAX_DELAY_SECONDS", "10"))

    # SIGN_IN_LINK_HOURS: how long a one-time sign-in link printed by `create-user` stays valid.
    SIGN_IN_LINK_HOURS = int(os.environ.get("SIGN_IN_LINK_HOURS", "72"))

    # INVITATION_DAYS: how long the link in an invitation to the tracker stays valid.
    INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "7"))
    # PASSWORD_RESET_MINUTES: how long a "forgot your password" link stays valid.
    PASSWORD_RESET_MINUTES = int(os.environ.get("PASSWORD_RESET_MINUTES", "60"))
    # PASSWORD_SIGN_IN: allow signing in with a password. Turn off ("0") when everyone signs in
    # with single sign-on. Default on.
    PASSWORD_SIGN_IN = _flag("PASSWORD_SIGN_IN", True)
    # OIDC_ISSUER: the OpenID Connect issuer for single sign-on, e.g.
    # https://login.microsoftonline.com/<tenant id>/v2.0 (Microsoft Entra ID) or
    # https://accounts.google.com. Default none: single sign-on is off.
    OIDC_ISSUER = (os.environ.get("OIDC_ISSUER") or "").rstrip("/") or None
    # OIDC_CLIENT_ID / OIDC_CLIENT_SECRET: the tracker's registration with that issuer.
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID") or None
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET") or None
    # OIDC_PROVIDER_NAME: what the sign-in button calls the accounts, e.g. "Leicester City Council".
    OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "your organisation")
    # Which email domains each organisation accepts is set per organisation on its People page.

    # SERVICE_NAME: shown in the header, page titles and emails.
    SERVICE_NAME = os.environ.get("SERVICE_NAME", "Inspection recommendation tracker")

    # PDF_FONT_DIR: where the PDF packs find DejaVu Sans (Debian's fonts-dejavu-core, which
    # `make install` installs): it is embedded so any script prints. Never downloaded.
    PDF_FONT_DIR = os.environ.get("PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu")

    # CACHE_TYPE: where rendered pages are kept between requests (tracker/page_cache.py). A page is
    # kept under the change counters of the organisations it shows, so a change is seen at once.
    # "SimpleCache" (default): each worker process keeps its own, in memory. "RedisCache" with
    # CACHE_REDIS_URL (e.g. redis://127.0.0.1:6379/0): one cache shared by every worker.
    # "NullCache": keep nothing, render every page every time.
    CACHE_TYPE = os.environ.get("CACHE_TYPE", "SimpleCache")
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL")
    # CACHE_SECONDS: how long a kept page may be served at most. Changes made through the
    # tracker are seen at once; this bounds how long a change made straight in the database
    # (or a partner link passing its expiry time) can go unseen.
    CACHE_DEFAULT_TIMEOUT = int(os.environ.get("CACHE_SECONDS", "300"))
    # CACHE_PAGES: how many pages each worker keeps at most (SimpleCache); pages are 5–50 KB.
    CACHE_THRESHOLD = int(os.environ.get("CACHE_PAGES", "1000"))

    # How long personal data is kept (services/retention.py; docs/data-protection.md says why).
    # The scheduler's daily housekeeping applies them, and `flask tracker retention` on demand.
    # Nothing open is ever removed: unsent emails, open actions' evidence, unexpired tokens.
    # EVIDENCE_RETENTION_YEARS: evidence files are removed this long after their action closed.
    EVIDENCE_RETENTION_YEARS = int(os.environ.get("EVIDENCE_RETENTION_YEARS", "6"))
    # SENT_EMAIL_BODY_DAYS: the text of an email that was sent (or failed, or was cancelled) is
    # cleared this long after; who it went to, its subject and when are kept.
    SENT_EMAIL_BODY_DAYS = int(os.environ.get("SENT_EMAIL_BODY_DAYS", "90"))
    # SIGN_IN_ATTEMPT_DAYS: failed sign-ins (their audit events and throttle counts) are deleted
    # this long after.
    SIGN_IN_ATTEMPT_DAYS = int(os.environ.get("SIGN_IN_ATTEMPT_DAYS", "30"))
    # SIGN_IN_RECORD_DAYS: successful sign-ins and sign-outs (audit events) are deleted this
    # long after.
    SIGN_IN_RECORD_DAYS = int(os.environ.get("SIGN_IN_RECORD_DAYS", "365"))
    # Invitation, password reset and partner link emails carry a link that works for a while
    # (INVITATION_DAYS, PASSWORD_RESET_MINUTES, PARTNER_LINK_DAYS): once it has expired the
    # sent email's text is cleared at once. Expired or revoked API tokens, calendar feeds and
    # partner links are deleted at once too.

    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session; the session itself expires


class DevelopmentConfig(Config):
    DEBUG = False  # the Werkzeug debugger is never on by default; FLASK_DEBUG=1 turns it on


class TestConfig(Config):
    TESTING = True
    # TEST_DATABASE_URL: the database the test suite runs against. Default: in-memory SQLite.
    SQLALCHEMY_DATABASE_URI = normalise_database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    SECRET_KEY = "test-secret-key"
    MAIL_SERVER = "127.0.0.1"
    MAIL_TIMEOUT = 5.0
    BASE_URL = "http://127.0.0.1:5000"
    SIGN_IN_MAX_DELAY_SECONDS = 0.05  # real waits, kept short; the throttle tests set their own


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "https"


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}

"""The file store (tracker/services/files.py): whole files or none, checked on every read."""

from __future__ import annotations

import hashlib
import os

import pytest

from tracker.services import files


@pytest.fixture
def disk_store(app, tmp_path):
    app.config.update(UPLOAD_DIR=str(tmp_path), FILE_STORE="disk")
    with app.test_request_context():
        yield tmp_path
    app.config["FILE_STORE"] = ""


def test_a_write_that_fails_part_way_leaves_no_file_and_no_litter(disk_store, monkeypatch):
    def crash(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        files.store("evidence", b"the whole audit report")
    assert [path for path in disk_store.rglob("*") if path.is_file()] == []


def test_a_truncated_file_is_not_trusted_and_the_next_store_writes_it_whole(disk_store):
    data = b"the whole audit report"
    kept = files.store("evidence", data)
    path = files.path_of(kept.relative_path)
    assert path.read_bytes() == data
    path.write_bytes(data[:5])  # as a crash mid-write used to leave it
    assert not files.path_of(kept.relative_path).is_file()
    assert files.read(kept.relative_path) is None
    files.store("evidence", data)
    assert files.read(kept.relative_path) == data
    assert kept.sha256 == hashlib.sha256(data).hexdigest()


def test_the_database_store_fetches_a_missing_or_damaged_local_copy_again(app, database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip(
            "The database file store needs PostgreSQL; this run uses SQLite. "
            "Set TEST_DATABASE_URL to a PostgreSQL database to run it (CI does)."
        )
    app.config.update(UPLOAD_DIR=str(tmp_path))
    with app.test_request_context():
        assert files.backend() == files.DATABASE
        kept = files.store("reports", b"report text")
        path = files.path_of(kept.relative_path)
        path.write_bytes(b"report tex")
        assert files.read(kept.relative_path) == b"report text"
        path.unlink()
        assert files.read(kept.relative_path) == b"report text"


def test_the_database_store_refuses_sqlite(app):
    from tracker import create_app

    with pytest.raises(RuntimeError, match="needs PostgreSQL"):
        create_app("test", SQLALCHEMY_DATABASE_URI="sqlite://", FILE_STORE="database")
    with pytest.raises(RuntimeError, match="'database' or 'disk'"):
        create_app("test", SQLALCHEMY_DATABASE_URI="sqlite://", FILE_STORE="cloud")

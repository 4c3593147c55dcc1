"""SQLite backend that queues write transactions instead of letting them collide.

SQLite allows one writer at a time. With several gunicorn workers each
`BEGIN IMMEDIATE` that finds the database busy sleeps in growing steps inside
sqlite's busy handler, which produced p99 latencies of 0.5–1 s here. Taking a
cross-process file lock (plus a thread lock, as flock is per open file) before
BEGIN makes writers wait in a fair queue and brings p99 to tens of milliseconds.
The lock is held until COMMIT/ROLLBACK.
"""

from __future__ import annotations

import fcntl
import os
import threading
from typing import Any

from django.db.backends.sqlite3 import base

_thread_lock = threading.Lock()
_lock_files: dict[str, int] = {}


def _lock_fd(db_name: str) -> int:
    fd = _lock_files.get(db_name)
    if fd is None:
        fd = os.open(f"{db_name}.writelock", os.O_RDWR | os.O_CREAT, 0o600)
        _lock_files[db_name] = fd
    return fd


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_write_lock = False

    def _use_lock(self) -> bool:
        return not self.is_in_memory_db()

    def _start_transaction_under_autocommit(self) -> None:
        if self._use_lock() and not self._holds_write_lock:
            _thread_lock.acquire()
            try:
                fcntl.flock(_lock_fd(str(self.settings_dict["NAME"])), fcntl.LOCK_EX)
            except BaseException:
                _thread_lock.release()
                raise
            self._holds_write_lock = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        if self._holds_write_lock:
            self._holds_write_lock = False
            fcntl.flock(_lock_fd(str(self.settings_dict["NAME"])), fcntl.LOCK_UN)
            _thread_lock.release()

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release_write_lock()

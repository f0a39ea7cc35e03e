"""One running instance per database, and what it tells the watchers.

``nhr run`` and ``nhr bot`` hold a database-wide lock for their whole life: two pollers would
fight over ``getUpdates`` and two schedulers send reminders twice. The row ``instance_lock``
(name ``nhr``) says who holds it (host, process id, command), since when, and carries the
heartbeat (refreshed every :data:`HEARTBEAT`), the last due-check and since when sending fails;
``nhr health`` and ``GET /healthz`` read it.

* PostgreSQL: ``pg_try_advisory_lock`` on a connection of its own, held until the process ends
  (the database releases it when the connection drops, also after a crash). The key is derived
  from the database and schema name. The row only tells who holds it.
* SQLite: the row is the lock. It is taken with a compare-and-set ``UPDATE``; a holder that
  released it, whose heartbeat is older than :data:`STALE`, or that is a process on this host
  that no longer exists (killed with SIGKILL) may be taken over.

Every function takes ``now``; the heartbeat thread gets a clock.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, Engine, and_, exists, select, text, update
from sqlalchemy.orm import Session

from core.db import insert_ignoring
from core.models import InstanceLock, Notification, utcnow
from core.notifications import MAX_ATTEMPTS

log = logging.getLogger(__name__)

LOCK_NAME = "nhr"
#: How often the holder refreshes its heartbeat.
HEARTBEAT = timedelta(seconds=30)
#: A heartbeat older than this is a dead holder (SQLite: its lock may be taken over).
STALE = timedelta(minutes=2)


@dataclass(frozen=True)
class Holder:
    """Who holds (or held) the lock, as the row says."""

    host: str
    pid: int
    command: str
    acquired_at: datetime
    heartbeat_at: datetime
    released_at: datetime | None
    due_check_at: datetime | None
    failing_since: datetime | None

    @classmethod
    def of(cls, row: InstanceLock) -> Holder:
        return cls(
            row.host,
            row.pid,
            row.command,
            row.acquired_at,
            row.heartbeat_at,
            row.released_at,
            row.due_check_at,
            row.failing_since,
        )

    def alive(self, now: datetime) -> bool:
        """Whether the row speaks of a running holder: not released, heartbeat fresh."""
        return self.released_at is None and now - self.heartbeat_at < STALE


class InstanceBusy(Exception):
    """Another process holds the lock; ``holder`` is who (None if the row is missing)."""

    def __init__(self, holder: Holder | None) -> None:
        super().__init__("another instance holds the database")
        self.holder = holder


def read_holder(engine: Engine, name: str = LOCK_NAME) -> Holder | None:
    """The lock's row, or None if no instance ever ran on this database."""
    with engine.connect() as conn:
        row = conn.execute(select(InstanceLock).where(InstanceLock.name == name)).first()
    if row is None:
        return None
    return Holder(
        row.host,
        row.pid,
        row.command,
        row.acquired_at,
        row.heartbeat_at,
        row.released_at,
        row.due_check_at,
        row.failing_since,
    )


def _process_gone(host: str, pid: int) -> bool:
    """Whether ``pid`` on ``host`` is known not to run (only this host can tell)."""
    if host != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # runs, as another user
        return False
    return False


def _advisory_key(conn: Connection) -> int:
    """A signed 64-bit key for this database and schema."""
    database, schema = conn.execute(text("select current_database(), current_schema()")).one()
    digest = hashlib.sha256(f"nhr-instance:{database}:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class InstanceGuard:
    """The lock of one process: :meth:`acquire`, :meth:`heartbeat`, :meth:`release`.

    ``previous`` is the row as it was before this process took it (for the downtime report).
    """

    def __init__(self, engine: Engine, command: str, *, name: str = LOCK_NAME) -> None:
        self.engine = engine
        self.command = command
        self.name = name
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.acquired_at: datetime | None = None
        self.previous: Holder | None = None
        self._pg: Connection | None = None
        self._pg_key = 0

    @property
    def _postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def acquire(self, now: datetime) -> None:
        """Take the lock or raise :class:`InstanceBusy` naming the holder."""
        if self._postgres:
            self._acquire_advisory()
        try:
            self._take_row(now)
        except InstanceBusy:
            self._unlock_advisory()
            raise
        self.acquired_at = now

    def _acquire_advisory(self) -> None:
        conn = self.engine.connect()
        # The lock belongs to this database session: its connection leaves the pool, so that
        # closing it (or losing the guard) ends the session and the lock with it, and no other
        # work of this process is ever handed a connection that holds it.
        conn.detach()
        try:
            self._pg_key = _advisory_key(conn)
            got = conn.execute(
                text("select pg_try_advisory_lock(:key)"), {"key": self._pg_key}
            ).scalar_one()
            conn.commit()  # a session-level lock: it outlives the transaction
        except BaseException:
            conn.close()
            raise
        if not got:
            conn.close()
            raise InstanceBusy(read_holder(self.engine, self.name))
        self._pg = conn

    def _unlock_advisory(self) -> None:
        if self._pg is None:
            return
        try:
            self._pg.execute(text("select pg_advisory_unlock(:key)"), {"key": self._pg_key})
            self._pg.commit()
        except Exception:  # the connection is gone: so is the lock
            log.warning("instance lock: connection lost before unlocking")
        finally:
            self._pg.close()
            self._pg = None

    def _values(self, now: datetime) -> dict[str, object]:
        return {
            "host": self.host,
            "pid": self.pid,
            "command": self.command,
            "acquired_at": now,
            "heartbeat_at": now,
            "released_at": None,
            "failing_since": None,
        }

    def _take_row(self, now: datetime) -> None:
        table = InstanceLock.__table__
        values = self._values(now)
        with self.engine.begin() as conn:
            current = conn.execute(
                select(InstanceLock).where(InstanceLock.name == self.name)
            ).first()
            if current is None:
                with Session(bind=conn) as session:
                    stmt = insert_ignoring(session, table, "name").values(
                        name=self.name, due_check_at=None, **values
                    )
                    inserted = session.execute(stmt).rowcount  # type: ignore[attr-defined]
                if inserted:
                    return
                current = conn.execute(
                    select(InstanceLock).where(InstanceLock.name == self.name)
                ).one()
            holder = Holder(
                current.host,
                current.pid,
                current.command,
                current.acquired_at,
                current.heartbeat_at,
                current.released_at,
                current.due_check_at,
                current.failing_since,
            )
            takeable = (
                self._postgres  # the advisory lock is ours: whoever the row names is gone
                or not holder.alive(now)
                or _process_gone(holder.host, holder.pid)
            )
            if not takeable:
                raise InstanceBusy(holder)
            c = InstanceLock
            taken = conn.execute(
                update(InstanceLock)
                .where(
                    c.name == self.name,
                    c.host == holder.host,
                    c.pid == holder.pid,
                    c.acquired_at == holder.acquired_at,
                    c.heartbeat_at == holder.heartbeat_at,
                )
                .values(**values)
            ).rowcount
            if not taken:  # someone else was quicker
                raise InstanceBusy(read_holder(self.engine, self.name))
            self.previous = holder

    def _ours(self) -> ColumnElement[bool]:
        c = InstanceLock
        return and_(
            c.name == self.name,
            c.host == self.host,
            c.pid == self.pid,
            c.acquired_at == self.acquired_at,
        )

    def heartbeat(self, now: datetime) -> bool:
        """Refresh the heartbeat; False if the row is no longer ours (taken over)."""
        if self._pg is not None:
            self._pg.execute(text("select 1"))
            self._pg.commit()
        with self.engine.begin() as conn:
            updated = conn.execute(
                update(InstanceLock).where(self._ours()).values(heartbeat_at=now)
            ).rowcount
        return bool(updated)

    def release(self, now: datetime) -> None:
        """Mark the row released and let go of the lock."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    update(InstanceLock)
                    .where(self._ours())
                    .values(released_at=now, heartbeat_at=now)
                )
        finally:
            self._unlock_advisory()

    def keep_alive(
        self, clock: Callable[[], datetime] = utcnow, interval: timedelta = HEARTBEAT
    ) -> Callable[[], None]:
        """Refresh the heartbeat every ``interval`` in a daemon thread; returns the stop."""
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(interval.total_seconds()):
                try:
                    if not self.heartbeat(clock()):
                        log.error("instance lock: taken over by another process")
                except Exception as err:  # the database is away: try again next time
                    log.warning("instance lock: heartbeat failed: %s", type(err).__name__)

        thread = threading.Thread(target=beat, name="nhr-heartbeat", daemon=True)
        thread.start()

        def halt() -> None:
            stop.set()
            thread.join(timeout=5)

        return halt


def record_due_check(
    engine: Engine, now: datetime, *, sent: int, failed: int, name: str = LOCK_NAME
) -> None:
    """Note a finished due-check: when, and since when sending fails (set on the first
    failure, cleared when a message went out or no failed message waits any more)."""
    c = InstanceLock
    with engine.begin() as conn:
        failing_since = conn.execute(select(c.failing_since).where(c.name == name)).scalar()
        if sent:
            failing_since = None
        elif failed:
            failing_since = failing_since or now
        elif failing_since is not None and not conn.execute(select(_FAILED_WAITING)).scalar():
            failing_since = None
        conn.execute(
            update(InstanceLock)
            .where(c.name == name)
            .values(due_check_at=now, failing_since=failing_since)
        )


#: A failed message still waits for a retry (blocked contacts are not retried: not counted).
_FAILED_WAITING = exists().where(
    Notification.sent_at.is_(None),
    Notification.last_error.is_not(None),
    Notification.attempts < MAX_ATTEMPTS,
    Notification.last_error.not_like("Forbidden%"),
)

"""Tell the search index that a record changed: one index job per transaction, queued when it commits.

Every write that affects the index (the catalog's services, the directory signals) calls :func:`index_changed`.
Inside an atomic block the record joins the transaction's *pending batch*; when the outermost block commits, the
whole batch — deduplicated, in order — is enqueued as ONE ``tasks.index_sync_records`` job, so an import of 5,000
rows writes one new index generation, not 5,000. Outside any atomic block (autocommit) the job is enqueued at once.

The batch follows Django's own ``on_commit`` bookkeeping rather than keeping a second copy of it: every change
registers a small hook with ``transaction.on_commit``; the first hook to run flushes the batch, the others find
it flushed. A rollback discards the hooks, and with them the batch: a batch is only reused while its hooks are
still registered on the connection (``connection.run_on_commit``), and after a savepoint rollback it keeps only
the records whose hooks survived. So a rolled-back transaction enqueues nothing and leaks nothing into the next.

This module is imported by the catalog on every write, so it stays light (no engine, no models).
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import DEFAULT_DB_ALIAS, transaction

Record = tuple[str, int]


class _Batch:
    """The records changed so far in one transaction on one connection."""

    def __init__(self, hooks: list[Any]) -> None:
        self.hooks = hooks  # the connection's ``run_on_commit`` list this batch was last seen in
        self.records: dict[Record, None] = {}  # an ordered set
        self.flushed = False

    def add(self, record: Record) -> _Hook:
        self.records[record] = None
        return _Hook(self, record)

    def alive(self, connection: Any) -> bool:
        """Still pending on ``connection``: not flushed, and its hooks were not discarded by a rollback."""
        if self.flushed:
            return False
        if self.hooks is connection.run_on_commit:  # Django replaces the list on commit and on any rollback
            return True
        surviving = {func.record for _, func, _ in connection.run_on_commit
                     if isinstance(func, _Hook) and func.batch is self}
        if not surviving:
            return False
        self.records = {record: None for record in self.records if record in surviving}
        self.hooks = connection.run_on_commit
        return True

    def flush(self) -> None:
        if self.flushed:
            return
        self.flushed = True
        _enqueue([[kind, pk] for kind, pk in self.records])


class _Hook:
    """What ``on_commit`` runs for one change: flush the change's batch (the first hook to run does it)."""

    __slots__ = ("batch", "record")

    def __init__(self, batch: _Batch, record: Record) -> None:
        self.batch, self.record = batch, record

    def __call__(self) -> None:
        self.batch.flush()


class _Pending(threading.local):
    def __init__(self) -> None:
        self.batches: dict[str, _Batch] = {}


_pending = _Pending()  # per thread, like Django's connections


def index_changed(kind: str, pk: int, *, using: str | None = None) -> None:
    """Queue an index update for one record (a kind of ``documents.RECORD_KINDS`` or "organization").

    In a transaction: joins the transaction's one index job, enqueued on commit (nothing if it rolls back).
    In autocommit: enqueued now.
    """
    alias = using or DEFAULT_DB_ALIAS
    connection = transaction.get_connection(alias)
    record = (kind, int(pk))
    if not connection.in_atomic_block:
        transaction.on_commit(lambda: _enqueue([list(record)]), using=alias)  # autocommit: runs now
        return
    batch = _pending.batches.get(alias)
    if batch is None or not batch.alive(connection):
        batch = _pending.batches[alias] = _Batch(connection.run_on_commit)
    transaction.on_commit(batch.add(record), using=alias)


def _enqueue(records: list[list[Any]]) -> None:
    from .tasks import index_sync_records

    index_sync_records.enqueue(records=records)

"""Background jobs of the matching domain (django-tasks; ``qiao worker`` runs them)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def index_sync_records(records: list[list[Any]]) -> str:
    """Update the index for the ``[kind, pk]`` records one transaction changed, in one new generation.

    Enqueued by ``sync.index_changed`` when the transaction commits; kinds: "need", "achievement", "capability",
    "person", "major", "organization".
    """
    from .services import index_sync_records as sync

    return sync(records=[(kind, pk) for kind, pk in records])


@task()
def index_sync_record(kind: str, pk: int) -> str:
    """Update the index for one record (kept for jobs queued before batching; same as a batch of one)."""
    from .services import index_sync_record as sync

    return sync(kind=kind, pk=pk)

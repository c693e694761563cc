"""Background jobs of the matching domain (django-tasks; ``qiao worker`` runs them)."""

from __future__ import annotations

from django_tasks import task


@task()
def index_sync_record(kind: str, pk: int) -> str:
    """Update the index for one record ("need", "achievement", "capability", "person", "major", "organization")."""
    from .services import index_sync_record as sync

    return sync(kind=kind, pk=pk)

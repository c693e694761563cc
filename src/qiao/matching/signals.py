"""The one exception to "no logic in signals": directory records (Person, Major, Organization) are written by
the directory's services, which do not know about the index. These receivers only *enqueue* an index sync after
the transaction commits; all the work happens in ``services.index_sync_record``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from qiao.directory.models import Major, Organization, Person

KINDS = {Person: "person", Major: "major", Organization: "organization"}


def _enqueue(kind: str, pk: int) -> None:
    from .tasks import index_sync_record

    transaction.on_commit(lambda: index_sync_record.enqueue(kind=kind, pk=pk))


@receiver(post_save, sender=Person)
@receiver(post_save, sender=Major)
@receiver(post_save, sender=Organization)
@receiver(post_delete, sender=Person)
@receiver(post_delete, sender=Major)
def directory_record_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata
        return
    _enqueue(KINDS[sender], instance.pk)

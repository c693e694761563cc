"""The one exception to "no logic in signals": directory records (Person, Major, Organization) are written by
the directory's services, which do not know about the index. These receivers only *enqueue* an index sync after
the transaction commits (``sync.index_changed``: one job per transaction); all the work happens in
``services.index_sync_records``."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from qiao.directory.models import Major, Organization, Person

from .sync import index_changed

KINDS = {Person: "person", Major: "major", Organization: "organization"}


@receiver(post_save, sender=Person)
@receiver(post_save, sender=Major)
@receiver(post_save, sender=Organization)
@receiver(post_delete, sender=Person)
@receiver(post_delete, sender=Major)
def directory_record_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata
        return
    index_changed(KINDS[sender], instance.pk)

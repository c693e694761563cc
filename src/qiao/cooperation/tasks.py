"""Background jobs: the daily reminders of due/overdue action items and expiring agreements."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import task

#: Local time of day at which the next run is scheduled.
REMINDER_TIME = time(7, 30)


def next_run(now: datetime | None = None) -> datetime:
    """Tomorrow at ``REMINDER_TIME``, local time (an aware datetime)."""
    local = timezone.localtime(now or timezone.now())
    tomorrow = local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, REMINDER_TIME))


@task()
def send_reminders(*, reschedule: bool = True) -> dict[str, int]:
    """Notify owners of due and overdue action items and watchers of expiring agreements (once per item per day),
    then enqueue itself for tomorrow when the backend can run tasks later (the database backend can; the
    immediate backend used in tests cannot, so it does not loop)."""
    from .services import reminders_send

    sent = reminders_send()
    if reschedule and send_reminders.get_backend().supports_defer:
        send_reminders.using(run_after=next_run()).enqueue(reschedule=True)
    return sent

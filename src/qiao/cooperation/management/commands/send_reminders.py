"""``qiao manage send_reminders``: send today's cooperation reminders now (for cron), or start the daily job."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Remind owners of due/overdue action items and watchers of expiring agreements (once per item per day)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--enqueue", action="store_true",
                            help="enqueue the background job instead (it re-schedules itself every day)")

    def handle(self, *args: Any, enqueue: bool = False, **options: Any) -> None:
        from qiao.cooperation.services import reminders_send
        from qiao.cooperation.tasks import send_reminders

        if enqueue:
            result = send_reminders.enqueue(reschedule=True)
            self.stdout.write(f"enqueued send_reminders ({result.id})")
            return
        sent = reminders_send()
        self.stdout.write(f"reminders sent: {sent['due']} due, {sent['overdue']} overdue, "
                          f"{sent['agreements']} expiring agreements")

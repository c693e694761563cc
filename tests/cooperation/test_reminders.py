"""Reminders with a frozen clock: the job notifies once per item per day and re-schedules itself."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from qiao.cooperation import services, tasks
from qiao.cooperation.models import ActionItem, ActionStatus
from qiao.notifications.models import Notification


def _kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_overdue_action_items_are_reminded_by_the_job(world, chain, frozen_clock):
    researcher = world.users["researcher"]
    Notification.objects.all().delete()
    # given an action item due on 31 October, and it is now 3 November
    with frozen_clock(2026, 11, 3):
        # when the background job runs
        result = tasks.send_reminders.enqueue()
        # then the owner is told it is overdue
        assert result.return_value["overdue"] == 1
        assert _kinds(researcher) == ["action_item.overdue"]
        assert ActionItem.objects.get(pk=chain.item.pk).last_reminded == date(2026, 11, 3)
        # and a second run the same day sends nothing more
        tasks.send_reminders.enqueue()
        assert _kinds(researcher) == ["action_item.overdue"]
    # the next day it is reminded again
    with frozen_clock(2026, 11, 4):
        tasks.send_reminders.enqueue()
        assert _kinds(researcher) == ["action_item.overdue"] * 2


def test_due_soon_and_done_items(world, chain, frozen_clock):
    Notification.objects.all().delete()
    with frozen_clock(2026, 10, 29):
        sent = services.reminders_send()
    assert sent["due"] == 1 and sent["overdue"] == 0
    services.action_item_update(item=chain.item, by=world.users["researcher"], status=ActionStatus.DONE)
    with frozen_clock(2026, 11, 5):
        assert services.reminders_send()["overdue"] == 0


def test_expiring_agreement_reminded_once_a_week(world, chain, frozen_clock):
    Notification.objects.all().delete()
    broker = world.users["broker"]
    # the agreement ends on 30 September 2027 and reminds 60 days before
    with frozen_clock(2027, 7, 1):
        assert services.reminders_send()["agreements"] == 0
    with frozen_clock(2027, 8, 5):
        assert services.reminders_send()["agreements"] == 1
        assert "agreement.expiring" in _kinds(broker)
    with frozen_clock(2027, 8, 6):
        assert services.reminders_send()["agreements"] == 0
    with frozen_clock(2027, 8, 12):
        assert services.reminders_send()["agreements"] == 1


def test_job_reschedules_itself_for_tomorrow_with_the_database_backend(world, settings, frozen_clock):
    from django_tasks_db.models import DBTaskResult

    # given the database backend of dev/production (it can run tasks later)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # when the job runs at 10:00 on 3 November
    with frozen_clock(2026, 11, 3, 10):
        tasks.send_reminders.call()
    # then it enqueued itself for 07:30 the next morning
    row = DBTaskResult.objects.get(task_path__endswith="send_reminders")
    local = tasks.timezone.localtime(row.run_after)
    assert (local.date(), local.hour, local.minute) == (date(2026, 11, 4), 7, 30)


def test_management_command_for_cron(world, chain, frozen_clock):
    out = StringIO()
    with frozen_clock(2026, 11, 3):
        call_command("send_reminders", stdout=out)
    assert "1 overdue" in out.getvalue()

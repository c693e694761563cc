from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Send the daily notification digest to every user who chose it (run once a day, e.g. from cron)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--enqueue", action="store_true", help="queue it for `qiao worker` instead of sending now")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        from qiao.notifications.tasks import digest_send_all, send_daily_digest

        if options["enqueue"]:
            send_daily_digest.enqueue()
            self.stdout.write("queued")
            return
        self.stdout.write(f"{digest_send_all()} digest(s) sent")

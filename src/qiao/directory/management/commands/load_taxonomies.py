from django.core.management.base import BaseCommand
from django.db import transaction

from qiao.directory.taxonomies import load_all


class Command(BaseCommand):
    help = "Load or refresh the official taxonomies (GB/T 4754-2017, MoE disciplines, GB/T 2260 regions)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            counts = load_all()
        for model, n in counts.items():
            self.stdout.write(f"{model}: {n}")

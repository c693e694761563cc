"""``manage.py demo_load [--seed N]``: load the fictional demo world (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qiao.demo.services import TaxonomiesNotLoaded, demo_load
from qiao.demo.world import build_world


class Command(BaseCommand):
    help = "Load the fictional demo world (organizations, people, majors, demo logins). Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="world seed (default 2026)")
        parser.add_argument("--reset-passwords", action="store_true",
                            help="also set the demo password on demo users that already exist")

    def handle(self, *args: Any, **options: Any) -> None:
        world = build_world(options["seed"])
        last: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if options["verbosity"] >= 1 and last.get(stage) != done:
                last[stage] = done
                self.stdout.write(f"  {stage}: {done}/{total}")

        try:
            summary = demo_load(world=world, progress=progress, reset_passwords=options["reset_passwords"])
        except TaxonomiesNotLoaded as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(str(summary)))
        self.stdout.write(f"Demo logins (password {world.password}):")
        for login in world.logins:
            self.stdout.write(f"  {login.username:<12} {login.role:<20} {login.description_en}")

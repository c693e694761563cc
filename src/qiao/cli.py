"""The ``qiao`` command.

``qiao rank`` is the matching engine's batch contract and starts without Django; every other
sub-command sets Django up first (settings ``qiao.settings.dev`` unless DJANGO_SETTINGS_MODULE says otherwise).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable

DEMO_PASSWORD = "qiao-demo-2026"  # noqa: S105  (fictional demo world only; printed on start)


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qiao.settings.dev")
    import django

    django.setup()


def _progress_bar() -> Callable[[str, int, int], None]:
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def progress(step: str, done: int, total: int) -> None:
        bar = bars.get(step)
        if bar is None:
            bar = bars[step] = tqdm(total=total, desc=step, unit="", file=sys.stderr, leave=True)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return progress


def cmd_serve(args: argparse.Namespace) -> int:
    _django_setup()
    from django.core.management import call_command

    print(f"Qiao is serving on http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True)
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    _django_setup()
    from django.conf import settings
    from django.core.management import call_command

    print("1/4 Migrating the database …", file=sys.stderr, flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    print("2/4 Loading the demo world (fictional) …", file=sys.stderr, flush=True)
    from qiao.demo.services import demo_load

    summary = demo_load(progress=_progress_bar())
    print("3/4 Building what needs building …", file=sys.stderr, flush=True)
    for step in DEMO_BUILD_STEPS:
        step(_progress_bar())
    print("4/4 Ready.", file=sys.stderr, flush=True)
    from qiao.demo.world import build_world

    world = build_world()
    url = f"http://{args.host}:{args.port}/"
    print(f"\nQiao demo world: {summary}")
    print(f"Database: {settings.DATABASES['default']['NAME']}")
    print(f"\nOpen {url}\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for login in world.logins:
        print(f"  {login.username:<12} {login.role:<20} {login.organization_name}")
    if args.no_serve:
        return 0
    return cmd_serve(args)


def _build_search_index(progress: Callable[[str, int, int], None]) -> None:
    try:
        from qiao.matching.services import index_rebuild  # type: ignore[import-not-found]
    except ImportError:
        return
    index_rebuild(progress=progress)


DEMO_BUILD_STEPS: list[Callable[[Callable[[str, int, int], None]], None]] = [_build_search_index]


def cmd_createadmin(args: argparse.Namespace) -> int:
    _django_setup()
    from django.core.exceptions import ValidationError

    from qiao.accounts.models import User
    from qiao.accounts.services import user_create

    password = args.password or os.environ.get("QIAO_ADMIN_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            print("error: give --password or set QIAO_ADMIN_PASSWORD (no terminal to ask on)", file=sys.stderr)
            return 2
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            print("error: the passwords differ", file=sys.stderr)
            return 2
    if User.objects.filter(username=args.username).exists():
        print(f"error: a user named {args.username!r} exists already", file=sys.stderr)
        return 2
    try:
        from django.contrib.auth.password_validation import validate_password

        validate_password(password)
        user_create(username=args.username, password=password, email=args.email, is_superuser=True)
    except ValidationError as exc:
        for message in exc.messages:
            print(f"error: {message}", file=sys.stderr)
        return 2
    print(f"Platform admin {args.username!r} created.")
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    _django_setup()
    from django.core.management import call_command

    options = {"interval": args.interval}
    if args.batch:
        options["batch"] = True
    call_command("db_worker", **options)
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    _django_setup()
    from qiao.matching.commands import index_main

    return index_main(args.action, progress=_progress_bar() if args.action == "rebuild" else None)


def cmd_manage(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qiao.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["qiao manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qiao", description="Qiao (桥): university–enterprise cooperation platform")
    sub = parser.add_subparsers(dest="command", required=True)

    def add_server_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default=os.environ.get("QIAO_HOST", "127.0.0.1"))
        p.add_argument("--port", type=int, default=int(os.environ.get("QIAO_PORT", "8000")))

    p = sub.add_parser("demo", help="migrate, load the demo world, build the index and serve it")
    add_server_args(p)
    p.add_argument("--no-serve", action="store_true", help="set everything up, print the logins and exit")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="serve the platform")
    add_server_args(p)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("createadmin", help="create a platform admin")
    p.add_argument("--username", default="admin")
    p.add_argument("--email", default="")
    p.add_argument("--password", default=None)
    p.set_defaults(func=cmd_createadmin)

    p = sub.add_parser("worker", help="run background jobs (django-tasks database backend)")
    p.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    p.add_argument("--batch", action="store_true", help="run the queued jobs, then exit")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("index", help="the search index: rebuild it from the database, or show its status")
    p.add_argument("action", choices=["rebuild", "status"], help="status exits 1 when the index is stale or missing")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("manage", help="run a Django management command", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)

    sub.add_parser("rank", help="rank candidates for queries (batch contract; see `qiao rank --help`)", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "rank":
        from qiao.matching.engine.cli import main as rank_main

        return rank_main(argv[1:])
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())

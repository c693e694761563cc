from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    from qiao.directory.selectors import demo_mode

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"primary_role": None, "demo_mode": demo_mode()}
    from qiao.accounts.selectors import primary_role

    return {"primary_role": primary_role(user), "demo_mode": demo_mode()}

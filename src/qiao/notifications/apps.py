from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "qiao.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec("qiao.notifications.permissions"):
            import_module("qiao.notifications.permissions")  # registers policies

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "qiao.cooperation"
    label = "cooperation"
    verbose_name = _("Cooperation")

    def ready(self) -> None:
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec("qiao.cooperation.permissions"):
            import_module("qiao.cooperation.permissions")  # registers policies
        from . import demo, services

        services.register_notification_kinds()
        demo.register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntroductionsConfig(AppConfig):
    name = "qiao.introductions"
    label = "introductions"
    verbose_name = _("Introductions")

    def ready(self) -> None:
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec("qiao.introductions.permissions"):
            import_module("qiao.introductions.permissions")  # registers policies

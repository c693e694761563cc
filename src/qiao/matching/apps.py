from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "qiao.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from importlib import import_module
        from importlib.util import find_spec

        if find_spec("qiao.matching.permissions"):
            import_module("qiao.matching.permissions")  # registers policies
        import_module("qiao.matching.signals")  # enqueues index syncs for directory edits

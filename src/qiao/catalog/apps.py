from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "qiao.catalog"
    label = "catalog"
    verbose_name = _("Catalog: needs and achievements")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers policies)

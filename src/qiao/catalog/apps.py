from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "qiao.catalog"
    label = "catalog"
    verbose_name = _("Catalog: needs and achievements")

    def ready(self) -> None:
        from qiao.demo.services import EXTRA_LOADERS

        from . import permissions  # noqa: F401  (registers policies)
        from .demo import load_catalog

        if load_catalog not in EXTRA_LOADERS:
            EXTRA_LOADERS.append(load_catalog)

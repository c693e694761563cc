from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from qiao.api import api

urlpatterns = [
    path("", include("qiao.core.urls")),
    path("accounts/", include("qiao.accounts.urls")),
    path("directory/", include("qiao.directory.urls")),
    path("catalog/", include("qiao.catalog.urls")),
    path("matching/", include("qiao.matching.urls")),
    path("introductions/", include("qiao.introductions.urls")),
    path("notifications/", include("qiao.notifications.urls")),
    path("cooperation/", include("qiao.cooperation.urls")),
    path("imports/", include("qiao.catalog.import_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

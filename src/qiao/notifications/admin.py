from django.contrib import admin

from .models import Notification, NotificationPreference, NotificationSettings


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "recipient", "created", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]
    raw_id_fields = ["recipient", "actor"]


admin.site.register(NotificationPreference)
admin.site.register(NotificationSettings)

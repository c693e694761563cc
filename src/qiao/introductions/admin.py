from django.contrib import admin

from .models import Introduction


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    list_display = ["pk", "requester_org", "target_person", "status", "created", "responded_at"]
    list_filter = ["status"]
    raw_id_fields = ["requested_by", "requester_org", "broker", "target_person", "achievement", "need",
                     "responded_by"]

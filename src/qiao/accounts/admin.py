from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "email", "is_superuser", "is_active"]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Qiao", {"fields": ("display_name", "preferred_language", "phone")}))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "is_manager"]
    list_filter = ["role", "is_manager"]
    autocomplete_fields = ["user", "organization"]
    search_fields = ["user__username", "organization__name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created", "last_used", "expires"]
    readonly_fields = ["prefix", "digest"]

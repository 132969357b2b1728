"""Staff, services, teams and reference data: editable by administrators, every change audited
with old and new values (see yjs/audit/admin.py)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from yjs.audit import services as audit
from yjs.audit.admin import AuditedAdminMixin

from .models import (
    EthnicPopulation,
    LocalAuthority,
    LookedAfterPopulation,
    PopulationEstimate,
    Service,
    Team,
    User,
)


@admin.register(User)
class StaffAdmin(AuditedAdminMixin, UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("Service", {"fields": ("service", "team", "role", "job_title")}),
    )
    list_display = ("username", "first_name", "last_name", "role", "team")
    list_filter = ("role", "team")

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            audit.record(
                request.user,
                "UPDATE",
                user,
                description="Admin: set a new password",
                changes={"password": ["(hidden)", "(changed)"]},
            )
        return response


admin.site.unregister(Group)


@admin.register(Group)
class AuditedGroupAdmin(AuditedAdminMixin, GroupAdmin):
    pass


class ReferenceAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


for model in (
    Service,
    LocalAuthority,
    Team,
    PopulationEstimate,
    EthnicPopulation,
    LookedAfterPopulation,
):
    admin.site.register(model, ReferenceAdmin)

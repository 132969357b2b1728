from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

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
class StaffAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("Service", {"fields": ("service", "team", "role", "job_title")}),
    )
    list_display = ("username", "first_name", "last_name", "role", "team")
    list_filter = ("role", "team")


admin.site.register(Service)
admin.site.register(LocalAuthority)
admin.site.register(Team)
admin.site.register(PopulationEstimate)
admin.site.register(EthnicPopulation)
admin.site.register(LookedAfterPopulation)

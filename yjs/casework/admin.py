from django.contrib import admin

from . import models

for model in (
    models.EthnicityRecord,
    models.CareStatus,
    models.SendRecord,
    models.ExploitationConcern,
    models.Referral,
    models.Offence,
    models.Outcome,
    models.Intervention,
    models.ReferralOrderPanel,
    models.Remand,
    models.CustodyEpisode,
    models.Assessment,
    models.ChildPlan,
    models.Contact,
    models.ManagementOversight,
    models.AccommodationRecord,
    models.EteRecord,
    models.MentalHealthRecord,
    models.SubstanceMisuseRecord,
    models.Victim,
    models.TransitionDecision,
):
    admin.site.register(model)


@admin.register(models.Child)
class ChildAdmin(admin.ModelAdmin):
    list_display = ("reference", "last_name", "first_name", "date_of_birth", "team")
    list_filter = ("team", "service")
    search_fields = ("reference", "last_name", "first_name")

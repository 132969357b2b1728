"""Forms of the workforce, volunteer and resources records: GOV.UK model forms whose choices are
limited to the user's own service, and which show the rules of `services` on their fields."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from yjs.casework.models import Intervention
from yjs.forms import DateField, GovukModelForm

from . import models as m
from . import selectors, services


class RuleForm(GovukModelForm):
    """Sets the service on a new record and shows `services.problems` on their fields."""

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        if service is not None and hasattr(self.instance, "service_id"):
            self.instance.service = service

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        for field, message in services.problems(self.instance).items():
            self.add_error(field if field in self.fields else None, message)


class CourseForm(RuleForm):
    class Meta:
        model = m.Course
        fields = ["name", "mandatory", "renewal_months", "for_volunteers", "retired"]


class AttendanceForm(RuleForm):
    class Meta:
        model = m.TrainingAttendance
        fields = ["course", "person", "volunteer", "attended_on"]
        labels = {"volunteer": "Or the volunteer"}

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, service=service, **kwargs)
        self.fields["course"].queryset = m.Course.objects.filter(service=service, retired=False)
        self.fields["person"].queryset = selectors_staff(service)
        self.fields["volunteer"].queryset = m.Volunteer.objects.filter(service=service)


def selectors_staff(service):
    from yjs.organisation.models import User

    return User.objects.filter(
        service=service, role__in=selectors.STAFF_ROLES, is_active=True
    ).order_by("last_name", "first_name")


class SupervisionForm(RuleForm):
    class Meta:
        model = m.StaffSupervision
        fields = ["staff", "supervisor", "held_on", "next_due"]

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, service=service, **kwargs)
        self.fields["staff"].queryset = selectors_staff(service)
        self.fields["supervisor"].queryset = selectors_staff(service)


class VacancyForm(RuleForm):
    class Meta:
        model = m.Vacancy
        fields = ["post", "role_category", "fte_posts", "vacant_since", "filled_on"]


class VolunteerForm(RuleForm):
    class Meta:
        model = m.Volunteer
        fields = ["name", "role", "started_on", "vetted_on", "vetting_expires_on", "left_on"]
        widgets = {"role": forms.RadioSelect}


class HoursForm(RuleForm):
    class Meta:
        model = m.VolunteerHours
        fields = ["given_on", "hours", "activity"]


class PanelForm(RuleForm):
    """Book a referral order panel: the date and time come as a GOV.UK date and a HH:MM time."""

    day = DateField(label="Date of the panel")
    time = forms.TimeField(
        label="Start time", help_text="For example, 16:30", input_formats=["%H:%M", "%H.%M"]
    )

    class Meta:
        model = m.PanelMeeting
        fields = ["intervention", "kind", "minutes", "venue", "member_one", "member_two"]

    def __init__(self, *args, service=None, scope=None, **kwargs):
        super().__init__(*args, service=service, **kwargs)
        orders = Intervention.objects.filter(
            kind=Intervention.Kind.REFERRAL_ORDER, end_date__isnull=True
        ).select_related("child")
        self.fields["intervention"].queryset = scope.children(orders, "child") if scope else orders
        self.fields["intervention"].label_from_instance = lambda i: (
            f"{i.child.first_name} {i.child.last_name} ({i.child.reference}), "
            f"from {i.start_date:%-d %b %Y}"
        )
        panel_members = m.Volunteer.objects.filter(
            service=service, role=m.Volunteer.Role.PANEL_MEMBER
        )
        self.fields["member_one"].queryset = panel_members
        self.fields["member_two"].queryset = panel_members
        self.order_fields(["intervention", "kind", "day", "time", "minutes", "venue"])
        self.fields["time"].widget.attrs["class"] = "govuk-input govuk-input--width-5"
        self.fields["minutes"].widget.attrs["class"] = "govuk-input govuk-input--width-3"

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("time"):
            when = dt.datetime.combine(data["day"], data["time"])
            self.instance.starts_at = timezone.make_aware(when)
        return data


class NightlyCostForm(RuleForm):
    class Meta:
        model = m.RemandNightlyCost
        fields = ["year", "placement", "nightly_cost", "source"]


class ProjectForm(RuleForm):
    class Meta:
        model = m.ReparationProject
        fields = ["name", "partner", "kind", "started_on", "ended_on"]
        widgets = {"kind": forms.RadioSelect}


class SessionForm(RuleForm):
    class Meta:
        model = m.ReparationSession
        fields = ["project", "held_on", "children", "hours"]

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, service=service, **kwargs)
        self.fields["project"].queryset = m.ReparationProject.objects.filter(service=service)

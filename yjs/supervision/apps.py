from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Supervising an order (requirements, appointments, warnings, breach), plugged into the
    child's record through casework's extension points, never by editing it."""

    name = "yjs.supervision"

    def ready(self):
        from yjs.casework import extensions, records
        from yjs.casework import selectors as casework_selectors
        from yjs.casework import services as casework_services

        from . import forms, models, selectors, services

        # The rules run wherever casework checks a record: forms, save_record, record pages.
        for model, problems in services.RULES.items():
            casework_services.register_record_kind(model, problems)
        # Record pages with history, Change and Void (casework record_views).
        for rt in (
            records.RecordType(
                "requirement",
                models.Requirement,
                "Requirement of the order",
                forms.RequirementForm,
                form_needs_child=True,
            ),
            records.RecordType(
                "appointment",
                models.Appointment,
                "Appointment of the order",
                forms.AppointmentForm,
                form_needs_child=True,
            ),
            records.RecordType(
                "order-warning",
                models.Warning,
                "Warning",
                forms.WarningForm,
                form_needs_child=True,
            ),
            records.RecordType(
                "breach",
                models.Breach,
                "Breach proceedings",
                forms.BreachForm,
                form_needs_child=True,
            ),
        ):
            records.RECORD_TYPES.setdefault(rt.slug, rt)
            records.BY_MODEL.setdefault(rt.model, rt)
        extensions.register_section(
            extensions.ChildSection(
                "supervision/_compliance.html",
                selectors.compliance_section,
                kinds=selectors.TIMELINE_ACCESSORS,
            )
        )
        for label, url_name in (
            ("Requirement of an order", "supervision:add_requirement"),
            ("Appointment kept or missed", "supervision:add_appointment"),
            ("Warning", "supervision:add_warning"),
            ("Breach proceedings", "supervision:add_breach"),
        ):
            extensions.register_link(extensions.RecordLink("court", label, url_name))
        extensions.register_timeline_source(selectors.timeline_entries)
        # Warnings and breaches are key events of the journey.
        casework_selectors.TIMELINE_VIEWS["key"][1].update({"warning", "breach", "requirement"})
        for source in (
            selectors.breach_pending_alerts,
            selectors.warning_threshold_alerts,
            selectors.requirements_ending_alerts,
        ):
            casework_selectors.register_alert_source(source)

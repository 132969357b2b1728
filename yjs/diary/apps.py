from django.apps import AppConfig


class DiaryConfig(AppConfig):
    """The worker's diary, tasks and contact frequency, plugged into the child's record and
    the journey's commands through casework's extension points, never by editing them."""

    name = "yjs.diary"
    verbose_name = "Diary and tasks"

    def ready(self):
        from yjs.casework import extensions, records
        from yjs.casework import selectors as casework_selectors
        from yjs.casework import services as casework_services
        from yjs.casework.models import Outcome, Victim
        from yjs.court.models import PreSentenceReport

        from . import forms, models, selectors, services

        for model, problems in services.RULES.items():
            casework_services.register_record_kind(model, problems)
        # Workflows: the tasks a new order, report or victim starts (in the same transaction).
        casework_services.register_after_create(Outcome, services.start_order_tasks)
        casework_services.register_after_create(PreSentenceReport, services.report_task)
        casework_services.register_after_create(Victim, services.victim_task)
        for rt in (
            # Never edited: a planned appointment is rearranged or cancelled instead.
            records.RecordType(
                "planned-appointment", models.PlannedAppointment, "Planned appointment"
            ),
            records.RecordType(
                "contact-frequency",
                models.ContactFrequency,
                "Contact frequency",
                forms.ContactFrequencyForm,
                form_needs_child=True,
            ),
        ):
            records.RECORD_TYPES.setdefault(rt.slug, rt)
            records.BY_MODEL.setdefault(rt.model, rt)
        extensions.register_section(
            extensions.ChildSection(
                "diary/_child_section.html",
                selectors.diary_section,
                kinds=("contact_frequencies", "planned_appointments", "tasks"),
            )
        )
        for label, url_name in (
            ("Planned appointment", "diary:plan"),
            ("How often the child is seen", "diary:set_frequency"),
        ):
            extensions.register_link(extensions.RecordLink("assessment", label, url_name))
        # The appointment letter (yjs.documents) is written from a planned appointment.
        from yjs.documents import letters

        letters.register_kind(
            letters.appointment_kind(
                records=selectors.letter_appointments,
                context=selectors.appointment_letter,
                models=(models.PlannedAppointment,),
            )
        )
        casework_selectors.ALERT_TAGS.setdefault("seen", "Seen too little")
        casework_selectors.register_alert_source(selectors.seen_less_often_alerts)

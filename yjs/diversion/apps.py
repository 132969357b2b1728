from django.apps import AppConfig


class DiversionConfig(AppConfig):
    """Out-of-court decisions: the joint decision-making panel with the police."""

    name = "yjs.diversion"

    def ready(self):
        from yjs.casework import extensions, records
        from yjs.casework import services as casework

        from . import forms, selectors, services
        from .models import OutOfCourtPanel

        extensions.register_section(
            extensions.ChildSection(
                "diversion/_child_section.html", selectors.section, kinds=("oocd_panels",)
            )
        )
        extensions.register_link(
            extensions.RecordLink("event", "Out-of-court panel", "diversion:add_panel")
        )
        extensions.register_timeline_source(selectors.timeline_entries)
        # The record page (values, history, Change, Void) and the panel's rules on every save.
        rt = records.RecordType(
            "oocd-panel",
            OutOfCourtPanel,
            "Out-of-court panel",
            forms.PanelChangeForm,
            form_needs_child=True,
            links_offences=True,
        )
        records.RECORD_TYPES.setdefault(rt.slug, rt)
        records.BY_MODEL.setdefault(OutOfCourtPanel, rt)
        casework.register_record_kind(OutOfCourtPanel, services.panel_problems)

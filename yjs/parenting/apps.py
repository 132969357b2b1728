from django.apps import AppConfig


class ParentingConfig(AppConfig):
    """Parenting orders, contracts and voluntary parenting support, plugged into the child's
    record through casework's extension points, never by editing it."""

    name = "yjs.parenting"

    def ready(self):
        from yjs.casework import extensions, records
        from yjs.casework import selectors as casework_selectors
        from yjs.casework import services as casework_services

        from . import forms, models, selectors, services

        # The rules run wherever casework checks a record: forms, save_record, record pages.
        for model, problems in services.RULES.items():
            casework_services.register_record_kind(model, problems)
        rt = records.RecordType(
            "parenting",
            models.ParentingWork,
            "Parenting work",
            forms.ParentingWorkForm,
            form_needs_child=True,
        )
        records.RECORD_TYPES.setdefault(rt.slug, rt)
        records.BY_MODEL.setdefault(rt.model, rt)
        extensions.register_section(
            extensions.ChildSection(
                "parenting/_child_section.html", selectors.section, kinds=("parenting_work",)
            )
        )
        extensions.register_link(
            extensions.RecordLink("event", "Parenting work", "parenting:add_parenting_work")
        )
        extensions.register_timeline_source(selectors.timeline_entries)
        # A parenting order or support started is a key event of the journey.
        casework_selectors.TIMELINE_VIEWS["key"][1].add("parenting")

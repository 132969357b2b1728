from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    """Programmes and groups (issue 14), plugged into the child's record through casework's
    extension points and into the plan and board pack as a data block, never by editing
    either."""

    name = "yjs.programmes"

    def ready(self):
        from yjs.casework import extensions, records
        from yjs.casework import services as casework_services
        from yjs.governance import blocks as governance_blocks

        from . import blocks, forms, models, selectors, services

        for model, problems in services.RULES.items():
            casework_services.register_record_kind(model, problems)
        rt = records.RecordType(
            "programme",
            models.Enrolment,
            "Programme place",
            forms.EnrolmentForm,
            form_needs_child=True,
        )
        records.RECORD_TYPES.setdefault(rt.slug, rt)
        records.BY_MODEL.setdefault(rt.model, rt)
        extensions.register_section(
            extensions.ChildSection(
                "programmes/_child_section.html", selectors.section, kinds=("enrolments",)
            )
        )
        extensions.register_timeline_source(selectors.timeline_entries)
        extensions.register_record_action(selectors.record_actions)
        governance_blocks.register_block(
            governance_blocks.DataBlock(
                blocks.NAME,
                blocks.TITLE,
                "evidence",
                blocks.build,
                board_pack=True,
                numeric_columns=(1, 2, 3, 4, 5, 6, 7),
            )
        )

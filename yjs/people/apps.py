from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """People and places around the child (parents and carers, addresses, school, GP,
    professionals), plugged into the child's record through casework's extension points."""

    name = "yjs.people"

    def ready(self):
        from yjs.casework import extensions, records, subject_access
        from yjs.casework import services as casework_services
        from yjs.documents import letters

        from . import forms, models, selectors, services

        # Letters (yjs.documents) go to the child at home or to the family recorded here.
        letters.register_recipient_source(selectors.letter_recipients)
        letters.register_child_address_source(selectors.child_address_lines)

        for model, problems in services.RULES.items():
            casework_services.register_record_kind(model, problems)
        for rt in (
            records.RecordType(
                "related-person",
                models.RelatedPerson,
                "Parent, carer or family member",
                forms.RelatedPersonForm,
                form_needs_child=True,
            ),
            records.RecordType(
                "address", models.Address, "Address", forms.AddressForm, form_needs_child=True
            ),
            records.RecordType(
                "professional",
                models.Professional,
                "Professional",
                forms.ProfessionalForm,
                form_needs_child=True,
            ),
            records.RecordType(
                "ete-placement",
                models.EtePlacement,
                "School or ETE provider",
                forms.EtePlacementForm,
                form_needs_child=True,
            ),
            records.RecordType(
                "gp",
                models.GeneralPractitioner,
                "GP",
                forms.GeneralPractitionerForm,
                form_needs_child=True,
            ),
        ):
            records.RECORD_TYPES.setdefault(rt.slug, rt)
            records.BY_MODEL.setdefault(rt.model, rt)
        extensions.register_section(
            extensions.ChildSection(
                "people/_people_and_places.html",
                selectors.people_and_places_section,
                kinds=tuple(name for name, _model in selectors.KINDS),
            ),
            first=True,
        )
        # Shown in the section itself (its template reads the "people" group), beside what
        # they add.
        for label, url_name in (
            ("Parent, carer or family member", "people:add_person"),
            ("Address", "people:add_address"),
            ("Professional (social worker, police, health)", "people:add_professional"),
            ("School, college or ETE provider", "people:add_ete_placement"),
            ("GP", "people:add_gp"),
        ):
            extensions.register_link(extensions.RecordLink("people", label, url_name))
        # A subject access request may come from a parent: the family's own contact details
        # are other people's data and are withheld, as a victim's are; who they are (name,
        # relationship, parental responsibility) stays. The child's own addresses are hers.
        subject_access.THIRD_PARTY_FIELDS.setdefault(
            models.RelatedPerson,
            {
                "name",
                "relationship",
                "parental_responsibility",
                "lives_with_child",
                "may_contact",
                "interpreter_needed",
                "language",
                "end_date",
                "voided_at",
                "void_reason",
                "revision",
                "updated_at",
                "updated_by",
                "voided_by",
            },
        )

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Documents on a child's record (uploads and letters written from templates), plugged into
    the record through casework's extension points."""

    name = "yjs.documents"

    def ready(self):
        from yjs.casework import extensions, records

        from . import checks, forms, letters, selectors, signals  # noqa: F401  checks, signals
        from .models import Attachment

        rt = records.RecordType("document", Attachment, "Document", forms.AttachmentChangeForm)
        records.RECORD_TYPES.setdefault(rt.slug, rt)
        records.BY_MODEL.setdefault(Attachment, rt)
        extensions.register_section(
            extensions.ChildSection(
                "documents/_child_section.html", selectors.section, kinds=("attachments",)
            )
        )
        extensions.register_record_action(selectors.record_actions)
        for kind in letters.BUILT_IN:
            letters.register_kind(kind)

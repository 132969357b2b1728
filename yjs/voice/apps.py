from django.apps import AppConfig


class VoiceConfig(AppConfig):
    """Voice of the child: feedback questionnaires, one-time links, quotes shared with consent
    and participation pledges, plugged into the child's record through casework's extension
    points and into the plan and board pack as a data block, never by editing them."""

    name = "yjs.voice"
    verbose_name = "Voice of the child"

    def ready(self):
        from yjs.casework import extensions, records
        from yjs.governance import blocks

        from . import models, selectors

        rt = records.RecordType("feedback", models.FeedbackResponse, "Feedback")
        records.RECORD_TYPES.setdefault(rt.slug, rt)
        records.BY_MODEL.setdefault(rt.model, rt)
        extensions.register_section(
            extensions.ChildSection(
                "voice/_child_section.html", selectors.section, kinds=("feedback", "feedback_links")
            )
        )
        extensions.register_link(
            extensions.RecordLink("event", "Feedback from paper", "voice:record_feedback")
        )
        extensions.register_timeline_source(selectors.timeline_entries)
        extensions.register_record_action(selectors.record_actions)
        blocks.register_block(
            blocks.DataBlock(
                "voice_feedback",
                "Feedback from children, parents and carers",
                "voice",
                selectors.block,
                board_pack=True,
            )
        )

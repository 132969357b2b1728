from django.apps import AppConfig


class QualityConfig(AppConfig):
    """Quality assurance: case and themed audits, the National Standards self-assessment,
    inspection recommendations and serious incidents, with blocks for the plan and board pack."""

    name = "yjs.quality"

    def ready(self):
        from yjs.casework import extensions
        from yjs.governance.blocks import register_block

        from . import blocks, selectors

        for block in blocks.BLOCKS:
            register_block(block)
        extensions.register_section(
            extensions.ChildSection("quality/_child_section.html", selectors.child_section)
        )

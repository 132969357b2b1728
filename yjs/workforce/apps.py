from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    """Workforce, volunteers and resources (issue 14): registers its data blocks with the plan
    and the board pack (yjs.governance.blocks), never by editing governance."""

    name = "yjs.workforce"

    def ready(self):
        from yjs.governance.blocks import register_block

        from .blocks import BLOCKS

        for block in BLOCKS:
            register_block(block)

from django.apps import AppConfig


class CourtConfig(AppConfig):
    name = "yjs.court"
    verbose_name = "Court work"

    def ready(self):
        from . import registry

        registry.register()

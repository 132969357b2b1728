from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "yjs.performance"

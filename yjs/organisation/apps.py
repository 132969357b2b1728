from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "yjs.organisation"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="yjs-idle-clock")

        # The platform's rules must exist before the first permission check, whatever runs
        # first (a page, a command, a service call): User.has_perm defers to them.
        from yjs import permissions  # noqa: F401

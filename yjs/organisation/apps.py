from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "yjs.organisation"

    def ready(self):
        # The platform's rules must exist before the first permission check, whatever runs
        # first (a page, a command, a service call): User.has_perm defers to them.
        from yjs import permissions  # noqa: F401

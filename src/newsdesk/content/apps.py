from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ContentConfig(AppConfig):
    name = "newsdesk.content"
    verbose_name = "Content"

    def ready(self) -> None:
        from newsdesk.content import signals  # noqa: F401
        from newsdesk.content.roles import ensure_roles

        # Runs after each app migrates; the last run sees every permission.
        post_migrate.connect(ensure_roles, dispatch_uid="newsdesk.ensure_roles")

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class DeliveryConfig(AppConfig):
    name = "newsdesk.delivery"
    verbose_name = "Delivery"

    def ready(self) -> None:
        from newsdesk.content.signals import content_changed
        from newsdesk.delivery import generation

        # Any change readers could see starts a new generation: the page cache
        # and the fragment caches are keyed on it, so nothing stale is served.
        content_changed.connect(generation.start_afresh, dispatch_uid="delivery")
        # A deploy (which migrates) may change templates or data: start afresh.
        # After content's migrations (an app without models gets no post_migrate).
        post_migrate.connect(
            generation.start_afresh,
            sender=apps.get_app_config("content"),
            dispatch_uid="delivery-migrate",
        )

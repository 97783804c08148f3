from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "newsdesk.media"
    verbose_name = "Media library"

    def ready(self) -> None:
        from newsdesk.media import signals  # noqa: F401

from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "newsdesk.search"
    verbose_name = "Search"

    def ready(self) -> None:
        from newsdesk.content.signals import content_changed
        from newsdesk.search import indexing

        content_changed.connect(indexing.on_content_changed, dispatch_uid="search")

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "newsdesk.search"
    verbose_name = "Search"

    def ready(self) -> None:
        from newsdesk.content.signals import content_changed
        from newsdesk.search import indexing

        content_changed.connect(indexing.on_content_changed, dispatch_uid="search")
        post_migrate.connect(
            indexing.refresh_statistics, sender=self, dispatch_uid="search-stats"
        )

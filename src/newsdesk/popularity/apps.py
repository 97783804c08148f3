from django.apps import AppConfig


class PopularityConfig(AppConfig):
    name = "newsdesk.popularity"
    verbose_name = "Popularity"

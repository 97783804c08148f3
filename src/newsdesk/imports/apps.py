from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "newsdesk.imports"
    verbose_name = "Imports"

from django.apps import AppConfig


class DevConfig(AppConfig):
    name = "newsdesk.dev"
    verbose_name = "Development tools"

from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "newsdesk.delivery"
    verbose_name = "Delivery"

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhongyan.core"
    label = "core"

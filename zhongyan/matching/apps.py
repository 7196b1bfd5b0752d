from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "zhongyan.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from zhongyan.matching import receivers  # noqa: F401  (connects the signal receivers)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "zhongyan.demands"
    label = "demands"
    verbose_name = _("Demands")

    def ready(self) -> None:
        from zhongyan.core import pagecache
        from zhongyan.demands import receivers  # noqa: F401 - connects the receivers

        # The list and a demand's page (their views opt in: demands/caching.py).
        pagecache.register(r"demands/(?:[^/]+/)?")

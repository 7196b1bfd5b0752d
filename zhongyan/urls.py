from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from zhongyan.api.main import api
from zhongyan.core.views import favicon, healthz

admin.site.site_header = "Zhongyan 众研"
admin.site.site_title = "Zhongyan 众研"


def _public(patterns: list) -> list:  # type: ignore[type-arg]
    """Mark a third-party URL list as reachable without signing in (it does its own auth)."""
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _public(pattern.url_patterns)
        else:
            pattern.callback.login_required = False
    return patterns


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", (_public(api.urls[0]), api.urls[1], api.urls[2])),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("jsi18n/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("", include("zhongyan.accounts.urls")),
    path("", include("zhongyan.orgs.urls")),
    path("demands/", include("zhongyan.demands.urls")),
    path("ideas/", include("zhongyan.ideas.urls")),
    path("matching/", include("zhongyan.matching.urls")),
    path("catalog/", include("zhongyan.catalog.urls")),
    path("", include("zhongyan.proposals.urls")),
    path("contracts/", include("zhongyan.contracts.urls")),
    path("", include("zhongyan.events.urls")),
    path("", include("zhongyan.portal.urls")),
    path("", include("zhongyan.notifications.urls")),
    prefix_default_language=False,
)

handler403 = "zhongyan.portal.views.forbidden"
handler404 = "zhongyan.portal.views.not_found"
handler500 = "zhongyan.portal.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

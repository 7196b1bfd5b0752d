"""The versioned REST API. Each module contributes a router; writes go through its services."""

from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from zhongyan.api.auth import SessionOrToken
from zhongyan.core.errors import DomainError, NotPermitted
from zhongyan.demands.api import router as demands_router
from zhongyan.notifications.api import router as notifications_router
from zhongyan.orgs.api import router as orgs_router
from zhongyan.proposals.api import router as proposals_router

api = NinjaAPI(
    title="Zhongyan API",
    version="1.0",
    urls_namespace="api-v1",
    description="The Zhongyan open-innovation platform. Authenticate with `Authorization: Bearer <token>`.",
    auth=SessionOrToken(),
)
api.add_router("/orgs/", orgs_router)
api.add_router("/demands/", demands_router)


@api.exception_handler(NotPermitted)
def not_permitted(request: HttpRequest, exc: NotPermitted) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc.message)}, status=403)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc.message)}, status=400)


@api.exception_handler(RawPostDataException)
def unreadable_body(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    # A multipart POST signed in by session: Django's CSRF check has read it as a
    # form, so a JSON body can no longer be read. The client sent the wrong kind of body.
    return api.create_response(request, {"detail": _("Send the request body as JSON.")}, status=400)


@api.get("/me", tags=["accounts"], summary="The signed-in user")
def me(request: HttpRequest) -> dict[str, object]:
    user = request.auth  # type: ignore[attr-defined]
    return {"id": user.public_id, "email": user.email, "name": user.name, "is_operator": user.is_operator}


api.add_router("/notifications/", notifications_router)
api.add_router("/proposals/", proposals_router)
api.add_router("/", "zhongyan.accounts.api.router")
api.add_router("/events/", "zhongyan.events.api.router")
api.add_router("/ideas/", "zhongyan.ideas.api.router")
api.add_router("/contracts/", "zhongyan.contracts.api.router")
api.add_router("/matching/", "zhongyan.matching.api.router")
api.add_router("/catalog/", "zhongyan.catalog.api.router")

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhongyan.accounts import bibliography, permissions, services
from zhongyan.accounts.forms import LANGUAGE_NAMES, ProfileForm, PublicationForm, PublicationUploadForm, TokenForm
from zhongyan.accounts.models import Field, Publication, PublicationImport, User
from zhongyan.accounts.querysets import expert_directory, visible_users
from zhongyan.core.errors import DomainError

EXPERTS_PER_PAGE = 20
PUBLICATIONS_PER_PAGE = 50
EXPERT_PAGE_PUBLICATIONS = 20
MAX_ERRORS_SHOWN = 200
AVATAR_CACHE_SECONDS = 7 * 24 * 3600


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    form = ProfileForm(request.POST or None, request.FILES or None, initial=ProfileForm.initial_for(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(
                actor=user, user=user, changes=form.profile_changes(), fields=form.cleaned_data["expertise"]
            )
            if form.cleaned_data["avatar"]:
                services.set_avatar(actor=user, user=user, avatar=form.cleaned_data["avatar"])
            elif form.cleaned_data["remove_avatar"]:
                services.remove_avatar(actor=user, user=user)
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile_edit")
    return render(request, "accounts/profile_edit.html", {"form": form, "person": user})


def expert_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:100]
    field_code = request.GET.get("field", "").strip()[:60]
    experts = expert_directory(request.user, text=text, field_code=field_code)
    page = Paginator(experts, EXPERTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "experts": page.object_list,
        "q": text,
        "field_code": field_code,
        "all_fields": Field.objects.all(),
        "filtered": bool(text or field_code),
    }
    return render(request, "accounts/expert_list.html", context)


def expert_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    person = get_object_or_404(visible_users(request.user).prefetch_related("fields"), public_id=public_id)
    context = {
        "person": person,
        "language_names": [LANGUAGE_NAMES.get(code, code) for code in person.languages],
        "can_edit": person.pk == request.user.pk,
        "publications": person.bibliography.all()[:EXPERT_PAGE_PUBLICATIONS],
    }
    return render(request, "accounts/expert_detail.html", context)


def _avatar_response(request: HttpRequest, public_id: str, *, thumbnail: bool) -> HttpResponse:
    person = get_object_or_404(visible_users(request.user), public_id=public_id)
    image = person.avatar_thumbnail if thumbnail else person.avatar
    if not image:
        raise Http404
    etag = f'"{image.name.rsplit("/", 1)[-1]}"'
    if request.headers.get("If-None-Match") == etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        try:
            response = FileResponse(image.open("rb"), content_type="image/jpeg")
        except FileNotFoundError as missing:
            raise Http404 from missing
    response["ETag"] = etag
    # Private: avatars are only shown to signed-in members. Links carry ?v=<file>, so a new
    # upload gets a new URL and a long max-age is safe.
    response["Cache-Control"] = f"private, max-age={AVATAR_CACHE_SECONDS}"
    return response


def avatar(request: HttpRequest, public_id: str) -> HttpResponse:
    return _avatar_response(request, public_id, thumbnail=False)


def avatar_thumbnail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _avatar_response(request, public_id, thumbnail=True)


@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.create_api_token(actor=user, name=form.cleaned_data["name"])
        except DomainError as error:
            form.add_error("name", str(error.message))
        else:
            form = TokenForm()
    context = {"form": form, "tokens": user.api_tokens.all(), "new_key": new_key}
    response = render(request, "accounts/token_list.html", context)
    # The new key is shown exactly once: keep it out of every cache and the back button.
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _me(request)
    token = get_object_or_404(user.api_tokens.all(), public_id=public_id)
    if request.method == "POST":
        services.revoke_api_token(actor=user, token=token)
        messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
        return redirect("accounts:token_list")
    return render(request, "accounts/token_revoke.html", {"token": token})


# --- publications ----------------------------------------------------------------------------


def _my_publication(request: HttpRequest, public_id: str) -> Publication:
    return get_object_or_404(_me(request).bibliography.all(), public_id=public_id)


@require_http_methods(["GET", "POST"])
def publication_list(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    form = PublicationUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_publications(actor=user, user=user, file=form.cleaned_data["file"])
        except DomainError as error:
            form.add_error("file", str(error.message))
        else:
            return redirect("accounts:publication_import", job.public_id)
    page = Paginator(user.bibliography.all(), PUBLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "imports": user.publication_imports.all()[:5]}
    return render(request, "accounts/publication_list.html", context, status=400 if form.errors else 200)


def publication_import(request: HttpRequest, public_id: str) -> HttpResponse:
    job = get_object_or_404(PublicationImport.objects.select_related("owner"), public_id=public_id)
    if not permissions.can_view_publication_import(request.user, job):
        raise Http404
    errors = [
        {"line": error["line"], "message": bibliography.stored_error_message(error)}
        for error in job.errors[:MAX_ERRORS_SHOWN]
    ]
    context = {"job": job, "errors": errors, "more_errors": max(0, len(job.errors) - MAX_ERRORS_SHOWN)}
    template = "accounts/publication_import.html#progress" if request.htmx else "accounts/publication_import.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def publication_edit(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    user = _me(request)
    publication = _my_publication(request, public_id) if public_id else None
    form = PublicationForm(request.POST or None, instance=publication)
    if request.method == "POST" and form.is_valid():
        try:
            if publication is None:
                services.create_publication(actor=user, user=user, values=form.publication_values())
            else:
                services.update_publication(actor=user, publication=publication, values=form.publication_values())
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The publication has been saved."))
            return redirect("accounts:publication_list")
    context = {"form": form, "publication": publication}
    return render(request, "accounts/publication_form.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def publication_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _me(request)
    publication = _my_publication(request, public_id)
    if request.method == "POST":
        services.delete_publication(actor=user, publication=publication)
        messages.success(request, _("“%(title)s” has been removed.") % {"title": publication.title})
        return redirect("accounts:publication_list")
    return render(request, "accounts/publication_delete.html", {"publication": publication})

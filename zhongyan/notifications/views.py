from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from zhongyan.core.errors import DomainError
from zhongyan.notifications import services
from zhongyan.notifications.forms import PreferencesForm
from zhongyan.notifications.kinds import render_body, render_title
from zhongyan.notifications.links import path_in_language
from zhongyan.notifications.models import Notification

PAGE_SIZE = 20


def inbox(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.inbox_of(request.user).unread_first().select_related("actor")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page.object_list:
        notification.title = render_title(notification.kind, notification.context)
        notification.body = render_body(notification.kind, notification.context)
    unread = Notification.objects.inbox_of(request.user).unread().count()
    return render(request, "notifications/notification_list.html", {"page": page, "unread_count": unread})


def badge(request: HttpRequest) -> HttpResponse:
    unread = Notification.objects.inbox_of(request.user).unread().count()
    return render(request, "notifications/nav_badge.html#badge", {"unread_count": unread})


@require_POST
def open_notification(request: HttpRequest, public_id: str) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.inbox_of(request.user), public_id=public_id)
    services.mark_read(actor=request.user, notification=notification)
    target = path_in_language(notification.url, translation.get_language() or "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("notifications:inbox")


@require_POST
def mark_read(request: HttpRequest, public_id: str) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.inbox_of(request.user), public_id=public_id)
    services.mark_read(actor=request.user, notification=notification)
    return redirect("notifications:inbox")


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(actor=request.user)
    message = ngettext("Marked %(count)d notification as read.", "Marked %(count)d notifications as read.", count) % {
        "count": count
    }
    messages.success(request, message)
    return redirect("notifications:inbox")


def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(
        request.POST or None,
        choices=services.preferences_of(request.user),
        language=services.language_of(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_preferences(
                actor=request.user,
                user=request.user,
                choices=form.cleaned_choices(),
                language=form.cleaned_data["language"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences_form.html", {"form": form})

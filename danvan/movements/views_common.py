"""What every back-office page of the movement shares.

The pages live under `/admin/movements/` (URL names `movements_staff:*`,
registered by `wagtail_hooks`). Wagtail checks that the user may enter the
back-office; `MovementView` checks that they work for a body. Lists show
only what the user may read (`permissions.readable_q`); writes go through
the services, which decide who may act (`permissions.py`); a refusal
becomes a message beside the form, never an error page.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from danvan.movements import permissions
from danvan.movements.models import Community, Registration, RegistrationStatus
from danvan.petitions.views_inbox import has_membership


def readable_registrations[RegT: Registration](rows: QuerySet[RegT], user: Any) -> QuerySet[RegT]:
    """Keep the models or exemplars `user` may read: those of the bodies
    they read, and every recognized one (the portal shows them to all, and
    any unit may adopt a recognized model)."""
    return rows.filter(
        permissions.readable_q(user, organization_field="organization", province_field="province")
        | Q(status=RegistrationStatus.RECOGNIZED)
    )


def readable_communities(user: Any) -> QuerySet[Community]:
    """Return the communities `user` may read."""
    return Community.objects.filter(
        permissions.readable_q(
            user, organization_field="organization", province_field="commune__province"
        )
    )


def get_or_404[ModelT: Any](rows: QuerySet[ModelT], pk: int) -> ModelT:
    """Return row `pk` of `rows`, or a 404 that says nothing more."""
    row = rows.filter(pk=pk).first()
    if row is None:
        raise Http404(gettext("Nothing you may open has this number."))
    return row


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    """Return `content` as the Excel file `<name>-<today>.xlsx`, to download."""
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    day = timezone.localdate()
    response["Content-Disposition"] = f'attachment; filename="{name}-{day:%Y%m%d}.xlsx"'
    return response


class MovementView(WagtailAdminTemplateMixin, View):
    """A page of the movement: for those who work for a body (or a superuser)."""

    header_icon = "pick"
    #: The pages between the menu and this one: (URL name, label).
    parents: tuple[tuple[str, Any], ...] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not has_membership(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        items = [
            *self.breadcrumbs_items,
            {"url": reverse("movements_staff:models"), "label": _("Dân vận khéo")},
        ]
        for name, label in self.parents:
            items.append({"url": reverse(name), "label": label})
        return [*items, {"url": "", "label": self.get_page_title()}]

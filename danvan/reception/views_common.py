"""What every back-office page of citizen reception shares.

The pages live under `/admin/reception/` (URL names `reception_staff:*`,
registered by `wagtail_hooks`). Wagtail checks that the user may enter the
back-office; `ReceptionView` checks that they work for a body, and every
page reads only the organizations the user may read
(`orgs.selectors.organizations_user_can_read`, every one for a superuser).
Writes go through the services (`schedules`, `visits`, `dialogues`), which
decide who may act; a refusal becomes a message, never an error page.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from danvan.orgs.models import Organization
from danvan.orgs.selectors import organizations_user_acts_for, organizations_user_can_read
from danvan.petitions.views_inbox import has_membership

#: Rows per page of the lists (as the petitions inbox).
PAGE_SIZE = 25

#: The session key holding the petitions a visit just brought (codes and
#: lookup keys), shown once on the visit's page.
VISIT_RECEIPT_SESSION_KEY = "reception_staff_visit_receipt"


def readable_organizations(user: Any) -> QuerySet[Organization]:
    """Return the organizations whose reception records `user` may read."""
    return organizations_user_can_read(user)


def acting_organizations(user: Any) -> QuerySet[Organization]:
    """Return the organizations `user` works for (every one for a superuser)."""
    return organizations_user_acts_for(user)


def object_or_404[ModelT: Model](
    queryset: QuerySet[ModelT], user: Any, pk: int, field: str
) -> ModelT:
    """Return the row `pk` of `queryset` if its `field` organization is readable by `user`."""
    row = (
        queryset.filter(pk=pk, **{f"{field}__in": readable_organizations(user).values("pk")})
        .order_by()
        .first()
    )
    if row is None:
        raise Http404(gettext("Nothing you may open has this number."))
    return row


def page_number(request: HttpRequest) -> int:
    """Return the page asked for (1 when absent or not a number)."""
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@dataclass(frozen=True, slots=True)
class Page[T]:
    """One page of a list, read without counting the whole list (one extra row)."""

    items: list[T]
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        """Tell whether a page comes before this one."""
        return self.number > 1

    @property
    def first_index(self) -> int:
        """Return the position of the first row on the page (1-based)."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last_index(self) -> int:
        """Return the position of the last row on the page."""
        return (self.number - 1) * self.size + len(self.items)


def page_of(rows: QuerySet[Any], *, number: int, size: int = PAGE_SIZE) -> Page[Any]:
    """Return page `number` of `rows`, `size` rows a page."""
    offset = (number - 1) * size
    items = list(rows[offset : offset + size + 1])
    return Page(items=items[:size], number=number, size=size, has_next=len(items) > size)


def query_without_page(request: HttpRequest) -> str:
    """Return the query string of the request without its `page`."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def service_errors_to_form(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's `ValidationError` beside the fields it names, else at the top."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, field_messages in error.message_dict.items():
        target = name if name in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


def service_errors_to_formset(
    formset: forms.BaseFormSet,  # type: ignore[type-arg]
    prefix: str,
    error: ValidationError,
) -> ValidationError | None:
    """Show the errors named `prefix[i].field` beside the field of the i-th filled form.

    Errors named `prefix` alone go to the formset; return the others (or
    None when every one was placed).
    """
    if not hasattr(error, "error_dict"):
        return error
    filled = [form for form in formset.forms if form.has_changed()]
    rest: dict[str, list[str]] = {}
    for name, field_messages in error.message_dict.items():
        if name == prefix:
            formset._non_form_errors = formset.error_class(  # type: ignore[attr-defined]
                [*formset.non_form_errors(), *field_messages]
            )
            continue
        head = f"{prefix}["
        if not name.startswith(head) or "]" not in name:
            rest[name] = field_messages
            continue
        index_text, _sep, field = name[len(head) :].partition("]")
        field = field.lstrip(".")
        try:
            form = filled[int(index_text)]
        except (ValueError, IndexError):
            rest[name] = field_messages
            continue
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)
    return ValidationError(rest) if rest else None


class ReceptionView(WagtailAdminTemplateMixin, View):
    """A page of citizen reception: for those who work for a body (or a superuser)."""

    header_icon = "group"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not has_membership(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    #: The pages between the menu and this one: (URL name, label).
    parents: tuple[tuple[str, Any], ...] = ()

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        items = [
            *self.breadcrumbs_items,
            {"url": reverse("reception_staff:schedules"), "label": _("Citizen reception")},
        ]
        for name, label in self.parents:
            items.append({"url": reverse(name), "label": label})
        return [*items, {"url": "", "label": self.get_page_title()}]


def nothing_recorded(request: HttpRequest) -> None:
    """Say, above the page, that an invalid form recorded nothing."""
    messages.error(request, gettext("Nothing was recorded: correct the errors below."))


def refused(request: HttpRequest, error: PermissionDenied, url: str) -> HttpResponseRedirect:
    """Say why the service refused, and go back to `url`."""
    messages.error(request, str(error) or gettext("You may not do this."))
    return HttpResponseRedirect(url)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """Return the first and last day of a month."""
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    """Return the month `by` months after (before, if negative) `year`-`month`."""
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1

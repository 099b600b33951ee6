"""The staff inbox in the back-office: filter, sort, page, assign in bulk.

Rows carry no protected identity: the petitioner's name comes only from
`confidentiality.listed_name`. A page costs a fixed number of queries
whatever its length (the petitioners are prefetched in one query).
"""

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from danvan.orgs.models import Role
from danvan.orgs.selectors import memberships_today, organizations_user_can_read
from danvan.petitions.confidentiality import listed_name
from danvan.petitions.forms_staff import (
    PAGE_SIZE,
    BulkAssignForm,
    InboxFilterForm,
    assignable_users,
)
from danvan.petitions.handling import petitions_assign
from danvan.petitions.models import Petition, Petitioner
from danvan.petitions.rules import DueState, due_state
from danvan.petitions.selectors import (
    DUE_SOON_DAYS,
    OPEN_STATUSES,
    inbox_page,
    petition_inbox,
    petitions_visible_to,
)
from danvan.petitions.workflow import PetitionKind, Status


@dataclass(frozen=True, slots=True)
class InboxRow:
    """One line of the inbox, as the page prints it.

    Every cell is computed here, once, so that the template only prints
    strings: labels, links and dates cost a template tag or filter a cell,
    25 rows a page.
    """

    code: str
    url: str
    kind: str
    status: str
    title: str
    name: str
    commune: str
    organization: str
    organization_short: str
    assignee: str
    received: str
    due: str
    due_state: str


def due_state_of(petition: Petition, today: datetime.date) -> str:
    """Return "overdue", "due_soon", "on_time", or "" for a closed or undated case."""
    if (
        petition.expected_response_by is None
        or petition.resolved_on is not None
        or petition.status not in OPEN_STATUSES
    ):
        return ""
    return due_state(petition.expected_response_by, today, DUE_SOON_DAYS).value


def roles_today(user: Any) -> frozenset[str]:
    """Return the roles `user` holds anywhere today, read once per request."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(membership.role for membership in memberships_today(user))


def home_province(user: Any) -> int | None:
    """Return the province of every body `user` works for today, if there is
    one (the commune dialog of the filters opens on it); None for a
    superuser, a central body, or bodies in several provinces."""
    if user.is_superuser or not user.is_authenticated or not user.is_active:
        return None
    provinces = {membership.province_id for membership in memberships_today(user)}
    return provinces.pop() if len(provinces) == 1 else None


def may_assign_in_bulk(user: Any) -> bool:
    """Tell whether `user` heads any body (or is the superuser)."""
    if user.is_superuser:
        return True
    return Role.HEAD.value in roles_today(user)


def has_membership(user: Any) -> bool:
    """Tell whether `user` works for any body today (or is the superuser)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or bool(roles_today(user))


#: What a bare `/admin/petitions/` shows: the petitions still being handled.
DEFAULT_INBOX_QUERY = "status=open"


#: The columns a row reads (the list never needs the content, the longest one).
ROW_FIELDS: tuple[str, ...] = (
    "code",
    "kind",
    "status",
    "title",
    "is_anonymous",
    "received_at",
    "expected_response_by",
    "resolved_on",
    "commune__name",
    "organization__name",
    "organization__short_name",
    "assigned_to__first_name",
    "assigned_to__last_name",
)


def inbox_rows(petitions: list[Petition], today: datetime.date) -> list[InboxRow]:
    """Return the rows of `petitions` (petitioners prefetched), ready to print."""
    kinds = {value: str(label) for value, label in PetitionKind.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    case_url = reverse("petitions_staff:case", args=["CODE"])
    rows = []
    for petition in petitions:
        organization = petition.organization
        assignee = petition.assigned_to
        due = petition.expected_response_by
        rows.append(
            InboxRow(
                code=petition.code,
                url=case_url.replace("CODE", quote(petition.code)),
                kind=kinds.get(petition.kind, petition.kind),
                status=statuses.get(petition.status, petition.status),
                title=petition.title,
                name=listed_name(petition, petition.petitioners.all()),
                commune=petition.commune.name,
                organization=organization.name if organization else "",
                organization_short=(organization.short_name or organization.name)
                if organization
                else "",
                assignee=f"{assignee.last_name} {assignee.first_name}" if assignee else "",
                received=timezone.localtime(petition.received_at).strftime("%d/%m/%Y"),
                due=due.strftime("%d/%m/%Y") if due else "",
                due_state=due_state_of(petition, today),
            )
        )
    return rows


def inbox_rows_html(rows: list[InboxRow], *, selectable: bool) -> SafeString:
    """Return the `<tr>` of `rows` for the inbox table.

    The rows are the hottest markup of the back-office (25 a page, ten cells
    each): written here with one `escape` per value instead of a template
    loop, which cost about a fifth of the page's CPU. Every value from the
    database goes through `escape`; the markup is that of `inbox.html`'s
    table head, cell for cell.
    """
    not_assigned = escape(gettext("Not assigned"))
    labels = {
        DueState.OVERDUE.value: escape(pgettext("due state", "Overdue")),
        DueState.DUE_SOON.value: escape(pgettext("due state", "Due soon")),
    }
    select_label = gettext("Select %(code)s")
    muted_dash = '<span class="dv-muted">—</span>'
    parts: list[str] = []
    for row in rows:
        code = escape(row.code)
        cells = ["<tr>"]
        if selectable:
            label = escape(select_label % {"code": row.code})
            cells.append(
                f'<td><input type="checkbox" name="codes" value="{code}" '
                f'aria-label="{label}"></td>'
            )
        cells.append(
            f'<td class="dv-code"><a href="{escape(row.url)}"><strong>{code}</strong></a></td>'
        )
        cells.append(
            f'<td>{escape(row.kind)}<div class="dv-muted">{escape(row.status)}</div></td>'
        )
        cells.append(f'<td class="dv-title">{escape(row.title)}</td>')
        cells.append(f"<td>{escape(row.name) if row.name else muted_dash}</td>")
        cells.append(f"<td>{escape(row.commune)}</td>")
        if row.organization:
            cells.append(
                f'<td><span title="{escape(row.organization)}">'
                f"{escape(row.organization_short)}</span></td>"
            )
        else:
            cells.append("<td>—</td>")
        assignee = (
            escape(row.assignee)
            if row.assignee
            else f'<span class="dv-muted">{not_assigned}</span>'
        )
        cells.append(f"<td>{assignee}</td>")
        cells.append(f"<td>{escape(row.received)}</td>")
        if not row.due:
            due = muted_dash
        elif row.due_state in labels:
            due = (
                f'<span class="dv-due dv-due--{row.due_state}">'
                f"{escape(row.due)} · {labels[row.due_state]}</span>"
            )
        else:
            due = escape(row.due)
        cells.append(f"<td>{due}</td></tr>")
        parts.append("".join(cells))
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _assignees(user: Any) -> QuerySet[Any]:
    return assignable_users(organizations_user_can_read(user))


class InboxView(WagtailAdminTemplateMixin, View):
    """The petitions of the user's inbox, filtered, sorted and paginated."""

    template_name = "petitions/staff/inbox.html"
    page_title = _("Petitions")
    header_icon = "mail"

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        # Without an item of its own, the header would read "Home".
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request: HttpRequest) -> HttpResponse:
        """Render one page of the inbox."""
        today = timezone.localdate()
        # A bare inbox shows the cases still being handled; "Tất cả" shows every one.
        data = request.GET if request.GET else QueryDict(DEFAULT_INBOX_QUERY)
        form = InboxFilterForm(data, user=request.user, province=home_province(request.user))
        petitions = (
            petition_inbox(request.user, form.filters(), today=today)
            .only(*ROW_FIELDS)
            .prefetch_related(
                Prefetch(
                    "petitioners", queryset=Petitioner.objects.only("id", "petition_id", "name")
                )
            )
        )
        page = inbox_page(petitions, number=_page_number(request), size=PAGE_SIZE)
        rows = inbox_rows(page.items, today)
        query = request.GET.copy()
        query.pop("page", None)
        context = self.get_context_data(
            form=form,
            page=page,
            rows=rows,
            query=query.urlencode(),
        )
        selectable = may_assign_in_bulk(request.user)
        if selectable:
            context["assign_form"] = BulkAssignForm(codes=[], users=_assignees(request.user))
        context["rows_html"] = inbox_rows_html(rows, selectable=selectable)
        return self.render_to_response(context)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("petitions_staff:inbox")


def bulk_assign(request: HttpRequest) -> HttpResponse:
    """Assign the ticked petitions to one user, all or none (`petitions_assign`)."""
    if request.method != "POST":
        return HttpResponseRedirect(reverse("petitions_staff:inbox"))
    codes = request.POST.getlist("codes")
    visible = list(petitions_visible_to(request.user).filter(code__in=codes))
    form = BulkAssignForm(
        request.POST, codes=[p.code for p in visible], users=_assignees(request.user)
    )
    if not codes:
        messages.error(request, gettext("Tick at least one petition."))
        return HttpResponseRedirect(_back(request))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return HttpResponseRedirect(_back(request))
    try:
        count = petitions_assign(
            petitions=visible, assignee=form.cleaned_data["assignee"], actor=request.user
        )
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            gettext("Petitions assigned: %(count)d.") % {"count": count},
        )
    return HttpResponseRedirect(_back(request))

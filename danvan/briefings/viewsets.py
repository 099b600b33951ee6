"""Back-office pages of the issuing bodies (`IssuingBody`): which document format each uses.

Issue 6 asks for both formats as templates an administrator can choose: the
state format of NĐ 30/2020 and the Party format of 36-HD/VPTW (decision
0017). Each organization that issues briefing documents has one row: its
format and the header lines the rules leave to the body (parent body, name,
symbol, place, who signs, sizes). The pages are in Wagtail's Settings menu
for those with Django's permission on the model
(`briefings.*_issuingbody`), which the migration `0002_issuing_body_rights`
grants to the administrators' group ("Quản trị viên"); every change is
written to the audit trail (`issuing_body.create`, `.update`, `.delete`).
Only central and provincial organizations can be chosen: communes issue no
briefing documents.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from danvan.briefings.models import IssuingBody
from danvan.core.audit import audit_record
from danvan.orgs.models import Organization, OrganizationLevel

FIELDS = [
    "organization",
    "document_format",
    "parent_name",
    "body_name",
    "symbol",
    "place_name",
    "signer_authority",
    "signer_title",
    "signer_name",
    "header_size",
    "body_size",
]


class IssuingBodyForm(WagtailAdminModelForm):
    """The row of one issuing body; the organization among central and provincial ones."""

    organization = forms.ModelChoiceField(
        label=_("organization"),
        queryset=Organization.objects.filter(
            level__in=[OrganizationLevel.CENTRAL, OrganizationLevel.PROVINCE]
        ).order_by("name"),
    )

    class Meta:
        model = IssuingBody
        fields = FIELDS


class _Audited:
    request: Any
    form: Any

    def save_instance(self) -> IssuingBody:
        created = self.form.instance.pk is None
        body: IssuingBody = super().save_instance()  # type: ignore[misc]
        audit_record(
            actor=self.request.user,
            action="issuing_body.create" if created else "issuing_body.update",
            target=body,
            data={"organization": body.organization_id, "format": body.document_format},
        )
        return body


class IssuingBodyIndexView(generic.IndexView):  # type: ignore[misc]
    def get_base_queryset(self) -> Any:
        """Read each row's organization with it (its name is the first column)."""
        return super().get_base_queryset().select_related("organization")


class IssuingBodyCreateView(_Audited, generic.CreateView):  # type: ignore[misc]
    pass


class IssuingBodyEditView(_Audited, generic.EditView):  # type: ignore[misc]
    pass


class IssuingBodyDeleteView(generic.DeleteView):  # type: ignore[misc]
    def delete_action(self) -> None:
        audit_record(actor=self.request.user, action="issuing_body.delete", target=self.object)
        super().delete_action()


class IssuingBodyViewSet(ModelViewSet):
    """The issuing bodies and their document formats, in the Settings menu."""

    model = IssuingBody
    form_fields = FIELDS
    list_display = ["organization", "document_format", "symbol", "place_name"]
    list_filter = ["document_format"]
    icon = "doc-full"
    menu_label = _("Document formats of issuing bodies")
    add_to_settings_menu = True
    url_prefix = "briefings/issuing-bodies"
    name = "briefing_issuing_bodies"
    index_view_class = IssuingBodyIndexView
    add_view_class = IssuingBodyCreateView
    edit_view_class = IssuingBodyEditView
    delete_view_class = IssuingBodyDeleteView

    def get_form_class(self, for_update: bool = False) -> type[IssuingBodyForm]:
        """The form whose organizations are the central and provincial ones."""
        return IssuingBodyForm


issuing_body_viewset = IssuingBodyViewSet()

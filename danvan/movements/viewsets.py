"""Back-office pages of the recognition criteria (`RecognitionCriterion`).

Criteria are local data (legal-rules.md §8): the default set (no province)
is seeded by the migration `0002_default_criteria`, and a province that
wants its own adds rows for itself (it then uses only those). Who may
edit them is Django's permission on the model (`movements.*_recognitioncriterion`),
which the migration `0003_role_permissions` grants to the administrators'
group ("Quản trị viên"); every change is written to the audit trail
(`criterion.create`, `criterion.update`, `criterion.delete`).
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from danvan.core.audit import audit_record
from danvan.movements.models import RecognitionCriterion

FIELDS = ["province", "target", "order", "title", "description", "max_score", "is_active"]


class _Audited:
    request: Any
    form: Any

    def save_instance(self) -> RecognitionCriterion:
        created = self.form.instance.pk is None
        criterion: RecognitionCriterion = super().save_instance()  # type: ignore[misc]
        audit_record(
            actor=self.request.user,
            action="criterion.create" if created else "criterion.update",
            target=criterion,
            data={"province": criterion.province_id, "max_score": criterion.max_score},
        )
        return criterion


class CriterionCreateView(_Audited, generic.CreateView):  # type: ignore[misc]
    pass


class CriterionEditView(_Audited, generic.EditView):  # type: ignore[misc]
    pass


class CriterionDeleteView(generic.DeleteView):  # type: ignore[misc]
    def delete_action(self) -> None:
        audit_record(actor=self.request.user, action="criterion.delete", target=self.object)
        super().delete_action()


class CriterionViewSet(ModelViewSet):
    """The recognition criteria, listed by province and order."""

    model = RecognitionCriterion
    form_fields = FIELDS
    list_display = ["title", "province", "target", "max_score", "is_active"]
    list_filter = ["province", "is_active"]
    icon = "tasks"
    menu_label = _("Recognition criteria")
    add_to_admin_menu = False
    url_prefix = "movements/criteria"
    name = "movement_criteria"
    add_view_class = CriterionCreateView
    edit_view_class = CriterionEditView
    delete_view_class = CriterionDeleteView


criterion_viewset = CriterionViewSet()

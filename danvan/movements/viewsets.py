"""Back-office pages of the recognition criteria (`RecognitionCriterion`)
and of the pass marks (`RecognitionRule`).

Criteria are local data (legal-rules.md §8): the default set (no province)
is seeded by the migration `0002_default_criteria`, and a province that
wants its own adds rows for itself (it then uses only those). Who may
edit them is Django's permission on the model (`movements.*_recognitioncriterion`),
which the migration `0003_role_permissions` grants to the administrators'
group ("Quản trị viên"); every change is written to the audit trail
(`criterion.create`, `criterion.update`, `criterion.delete`).

The pass marks follow the same rules: the default row (no province, 70 %)
is seeded by `0005_default_pass_mark`, which grants the administrators
`movements.*_recognitionrule`; a province that sets its own adds a row for
itself. The default row cannot be deleted (every province without its own
uses it). Each change is audited (`pass_mark.create`, `pass_mark.update`
with the mark before and after, `pass_mark.delete`).
"""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from danvan.core.audit import audit_record
from danvan.movements.models import RecognitionCriterion, RecognitionRule

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


class _RuleAudited:
    request: Any
    form: Any

    def save_instance(self) -> RecognitionRule:
        created = self.form.instance.pk is None
        previous = None if created else self.form.initial.get("pass_percent")
        rule: RecognitionRule = super().save_instance()  # type: ignore[misc]
        audit_record(
            actor=self.request.user,
            action="pass_mark.create" if created else "pass_mark.update",
            target=rule,
            data={
                "province": rule.province_id,
                "pass_percent": rule.pass_percent,
                "previous": previous,
            },
        )
        return rule


class RuleCreateView(_RuleAudited, generic.CreateView):  # type: ignore[misc]
    pass


class RuleEditView(_RuleAudited, generic.EditView):  # type: ignore[misc]
    pass


class RuleDeleteView(generic.DeleteView):  # type: ignore[misc]
    """Delete a province's pass mark (it then uses the default); never the default."""

    def _refuse_default(self) -> HttpResponseBase | None:
        if self.object.province_id is not None:
            return None
        messages.error(
            self.request,
            gettext(
                "The default pass mark cannot be deleted: every province without "
                "its own uses it. Change it instead."
            ),
        )
        return HttpResponseRedirect(self.get_success_url())

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Ask for confirmation, unless this is the default."""
        return self._refuse_default() or super().get(request, *args, **kwargs)  # type: ignore[no-any-return]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """Delete, unless this is the default."""
        return self._refuse_default() or super().post(request, *args, **kwargs)  # type: ignore[no-any-return]

    def delete_action(self) -> None:
        audit_record(
            actor=self.request.user,
            action="pass_mark.delete",
            target=self.object,
            data={"province": self.object.province_id, "pass_percent": self.object.pass_percent},
        )
        super().delete_action()


class RuleViewSet(ModelViewSet):
    """The pass marks: the default, and the provinces that set their own."""

    model = RecognitionRule
    form_fields = ["province", "pass_percent", "basis"]
    list_display = ["scope_label", "pass_percent", "basis", "updated_at"]
    icon = "success"
    menu_label = _("Pass marks")
    add_to_admin_menu = False
    url_prefix = "movements/pass-marks"
    name = "movement_pass_marks"
    add_view_class = RuleCreateView
    edit_view_class = RuleEditView
    delete_view_class = RuleDeleteView


rule_viewset = RuleViewSet()

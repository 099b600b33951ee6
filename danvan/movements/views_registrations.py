"""Models and exemplars in the back-office: lists with filters, search and
the Excel exports, registering, changing the file and its results, and a
registration's page with its steps (review, evaluate against the
province's criteria and pass mark, recognize, renew, refuse, screen out),
its evidence and, for a model, its replications.
"""

from typing import Any, Final

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.geo.models import Commune
from danvan.movements import exports, permissions, registrations, replications, workflow
from danvan.movements.criteria import criteria_for, pass_percent_for
from danvan.movements.forms import (
    DecisionForm,
    EvaluationForm,
    EvidenceForm,
    ExemplarEditForm,
    ExemplarFilterForm,
    ExemplarRegistrationForm,
    ModelEditForm,
    ModelRegistrationForm,
    ReasonForm,
    RegistrationFilterForm,
    ReplicationForm,
    ResultCorrectForm,
    ResultFormSet,
    ResultLineFormSet,
    results_of,
)
from danvan.movements.models import (
    Evaluation,
    EvaluationScore,
    Exemplar,
    MovementModel,
    Recognition,
    Registration,
    Replication,
    ResultFigure,
)
from danvan.movements.replications import adoption_counts, model_reach
from danvan.movements.selectors import registrations_filtered
from danvan.movements.views_common import (
    MovementView,
    get_or_404,
    readable_registrations,
    xlsx_response,
)
from danvan.orgs.selectors import organizations_user_acts_for
from danvan.reception.views_common import (
    nothing_recorded,
    page_number,
    page_of,
    query_without_page,
    service_errors_to_form,
    service_errors_to_formset,
)

MODELS = ("movements_staff:models", _("Models"))
EXEMPLARS = ("movements_staff:exemplars", _("Exemplars"))

#: The columns a list row reads.
_LIST_RELATED: Final = ("organization", "province", "commune")


def _filtered[RegT: Registration](
    request: HttpRequest, rows: QuerySet[RegT], form_class: type[RegistrationFilterForm]
) -> tuple[RegistrationFilterForm, QuerySet[RegT]]:
    readable = readable_registrations(rows, request.user)
    # The communes offered are those where the user reads one of the list.
    communes = Commune.objects.filter(pk__in=readable.values("commune_id")).order_by("name")
    form = form_class(request.GET or None, communes=communes)
    rows = registrations_filtered(readable, **form.filters())
    return form, rows.select_related(*_LIST_RELATED).order_by("-registered_on", "-pk")


class ModelListView(MovementView):
    """The models the user reads, filtered, searched and paged."""

    template_name = "movements/staff/registrations.html"
    page_title = _("Models")

    def get(self, request: HttpRequest) -> HttpResponse:
        """Render one page of the list."""
        form, rows = _filtered(request, MovementModel.objects.all(), RegistrationFilterForm)
        page = page_of(rows, number=page_number(request))
        counts = adoption_counts([row.pk for row in page.items])
        for row in page.items:
            row.adoptions = counts.get(row.pk, 0)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                page=page,
                query=query_without_page(request),
                is_model=True,
                export_url=reverse("movements_staff:models_export"),
                may_register=permissions.organizations_user_may_act_for(request.user).exists(),
            )
        )


class ExemplarListView(MovementView):
    """The exemplars the user reads, filtered, searched and paged."""

    template_name = "movements/staff/registrations.html"
    page_title = _("Exemplars")

    def get(self, request: HttpRequest) -> HttpResponse:
        """Render one page of the list."""
        form, rows = _filtered(request, Exemplar.objects.all(), ExemplarFilterForm)
        page = page_of(rows, number=page_number(request))
        return self.render_to_response(
            self.get_context_data(
                form=form,
                page=page,
                query=query_without_page(request),
                is_model=False,
                export_url=reverse("movements_staff:exemplars_export"),
                may_register=permissions.organizations_user_may_act_for(request.user).exists(),
            )
        )


def models_export(request: HttpRequest) -> HttpResponse:
    """The filtered models as an Excel file."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    _form, rows = _filtered(request, MovementModel.objects.all(), RegistrationFilterForm)
    return xlsx_response(exports.models_xlsx(rows, user=request.user), "mo-hinh-dan-van-kheo")


def exemplars_export(request: HttpRequest) -> HttpResponse:
    """The filtered exemplars as an Excel file (the list's columns, no more
    about the people: see `exports`)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    _form, rows = _filtered(request, Exemplar.objects.all(), ExemplarFilterForm)
    return xlsx_response(exports.exemplars_xlsx(rows, user=request.user), "dien-hinh-dan-van-kheo")


class RegisterView(MovementView):
    """Register a model (or, with `exemplar`, an exemplar)."""

    template_name = "movements/staff/register.html"
    exemplar = False

    def get_page_title(self) -> str:
        return str(_("Register an exemplar") if self.exemplar else _("Register a model"))

    @property
    def parents(self) -> tuple[tuple[str, Any], ...]:  # type: ignore[override]
        return (EXEMPLARS,) if self.exemplar else (MODELS,)

    def _forms(self, request: HttpRequest, data: Any = None, files: Any = None) -> tuple[Any, Any]:
        organizations = permissions.organizations_user_may_act_for(request.user)
        form_class = ExemplarRegistrationForm if self.exemplar else ModelRegistrationForm
        form = form_class(data, files, organizations=organizations)
        return form, ResultFormSet(data, prefix="results")

    def _render(self, form: Any, results: Any) -> HttpResponse:
        if form.is_bound:
            nothing_recorded(self.request)
        return self.render_to_response(
            self.get_context_data(form=form, results=results, exemplar=self.exemplar)
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        """Show the empty form."""
        if not permissions.organizations_user_may_act_for(request.user).exists():
            raise PermissionDenied
        return self._render(*self._forms(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        """Register, attach the photo, and open the new registration."""
        form, results = self._forms(request, request.POST, request.FILES)
        if not (form.is_valid() and results.is_valid()):
            return self._render(form, results)
        kwargs = form.common_kwargs()
        try:
            with transaction.atomic():
                if self.exemplar:
                    row: Registration = registrations.exemplar_register(
                        actor=request.user,
                        kind=form.cleaned_data["kind"],
                        title=form.cleaned_data["title"],
                        results=results_of(results),
                        **kwargs,
                    )
                else:
                    row = registrations.model_register(
                        actor=request.user,
                        community=form.cleaned_data.get("community"),
                        results=results_of(results),
                        **kwargs,
                    )
                if form.cleaned_data.get("photo"):
                    registrations.evidence_add(
                        actor=request.user,
                        registration=row,
                        caption=form.cleaned_data["photo_caption"],
                        photo=form.cleaned_data["photo"],
                    )
        except PermissionDenied as error:
            form.add_error("organization", str(error))
            return self._render(form, results)
        except ValidationError as error:
            rest = service_errors_to_formset(results, "results", error)
            if rest is not None:
                service_errors_to_form(form, rest)
            return self._render(form, results)
        messages.success(request, gettext("Registered: %(name)s.") % {"name": row.name})
        return HttpResponseRedirect(reverse("movements_staff:registration", args=[row.pk]))


def may_edit(user: Any, row: Registration) -> bool:
    """Tell whether `user` may change the file and results of `row` now (the
    services decide again: `registrations._lock_editable`)."""
    return row.status in workflow.EDITABLE and permissions.may_act_for(user, row.organization)


#: The steps a registration's page posts to, and the form class of each.
STEP_FORMS: Final[dict[str, Any]] = {
    "review": None,
    "evaluate": EvaluationForm,
    "recognize": DecisionForm,
    "renew": DecisionForm,
    "reject": ReasonForm,
    "screen_out": ReasonForm,
    "replicate": ReplicationForm,
    "evidence": EvidenceForm,
}


class RegistrationView(MovementView):
    """One model or exemplar: its file, its evaluations and recognitions,
    its replications and reach, and the steps open on it."""

    template_name = "movements/staff/registration.html"

    def get_page_title(self) -> str:
        return str(self.row.name)

    @property
    def parents(self) -> tuple[tuple[str, Any], ...]:  # type: ignore[override]
        return (MODELS,) if self.model is not None else (EXEMPLARS,)

    def _load(self, request: HttpRequest, pk: int) -> None:
        base = get_or_404(
            readable_registrations(Registration.objects.all(), request.user).select_related(
                *_LIST_RELATED, "campaign"
            ),
            pk,
        )
        self.model = MovementModel.objects.select_related("community").filter(pk=pk).first()
        self.exemplar = None if self.model is not None else Exemplar.objects.get(pk=pk)
        self.row: Registration = base

    def _forms(self, request: HttpRequest) -> dict[str, Any]:
        row = self.row
        user = request.user
        today = timezone.localdate()
        acts = organizations_user_acts_for(user)
        target = "model" if self.model is not None else "exemplar"
        criteria = list(criteria_for(row.province_id, target=target))
        forms: dict[str, Any] = {}
        steps = workflow.steps_from(row.status)
        reviewer = permissions.may_review(user, row.province_id)
        self.criteria = criteria
        if reviewer and workflow.Step.REVIEW in steps:
            forms["review"] = True
        if reviewer and row.status in workflow.EVALUABLE:
            forms["evaluate"] = EvaluationForm(
                criteria=criteria, prefix="evaluate", initial={"evaluated_on": today}
            )
        if workflow.Step.RECOGNIZE in steps and (
            reviewer or permissions.review_scope(user).head_of_communes
        ):
            forms["recognize"] = DecisionForm(
                organizations=acts, prefix="recognize", initial={"decided_on": today}
            )
        if reviewer and workflow.Step.RENEW in steps:
            forms["renew"] = DecisionForm(
                organizations=acts,
                prefix="renew",
                initial={"decided_on": today, "level": row.level},
            )
        if reviewer and workflow.Step.REJECT in steps:
            forms["reject"] = ReasonForm(prefix="reject")
        if reviewer and workflow.Step.SCREEN_OUT in steps:
            forms["screen_out"] = ReasonForm(prefix="screen_out")
        adopters = permissions.organizations_user_may_act_for(user).exclude(pk=row.organization_id)
        if self.model is not None and row.status == "recognized" and adopters.exists():
            forms["replicate"] = ReplicationForm(
                organizations=adopters, prefix="replicate", initial={"started_on": today}
            )
        self.acts_for_unit = permissions.may_act_for(user, row.organization)
        if self.acts_for_unit and row.status in workflow.EDITABLE:
            forms["evidence"] = EvidenceForm(prefix="evidence", initial={"is_public": True})
        return forms

    def render_page(
        self, request: HttpRequest, failed: dict[str, Any] | None = None
    ) -> HttpResponse:
        """Render the page; `failed` holds a form to show again with its errors."""
        forms = self._forms(request)
        forms.update(failed or {})
        row = self.row
        evaluations = list(
            Evaluation.objects.filter(registration_id=row.pk)
            .select_related("evaluator")
            .prefetch_related(
                Prefetch("scores", queryset=EvaluationScore.objects.select_related("criterion"))
            )
        )
        context = self.get_context_data(
            row=row,
            model=self.model,
            exemplar=self.exemplar,
            results=list(row.results.all()),
            evidence=list(row.evidence.select_related("image", "document")),
            evaluations=evaluations,
            recognitions=list(
                Recognition.objects.filter(registration_id=row.pk).select_related("decided_by")
            ),
            themes=list(row.themes.all()),
            criteria=self.criteria,
            pass_percent=pass_percent_for(row.province_id),
            may_edit=self.acts_for_unit and row.status in workflow.EDITABLE,
            forms=forms,
        )
        if self.model is not None:
            context.update(
                replications=list(
                    Replication.objects.filter(model_id=row.pk)
                    .select_related("organization", "commune", "province")
                    .prefetch_related("results")
                ),
                reach=model_reach(self.model),
            )
        return self.render_to_response(context)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Render the page."""
        self._load(request, pk)
        return self.render_page(request)


class RegistrationStepView(RegistrationView):
    """Take a step on a registration (POST only)."""

    def get(self, request: HttpRequest, pk: int, step: str = "") -> HttpResponse:  # type: ignore[override]
        """Go back to the registration's page."""
        return HttpResponseRedirect(reverse("movements_staff:registration", args=[pk]))

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        """Take `step`; show the form again beside its errors, or go back to the page."""
        if step not in STEP_FORMS:
            raise Http404
        self._load(request, pk)
        available = self._forms(request)
        if step not in available:
            messages.error(request, gettext("This step is not open to you here."))
            return HttpResponseRedirect(reverse("movements_staff:registration", args=[pk]))
        form = self._bound(request, step, available[step])
        if form is not None and not form.is_valid():
            nothing_recorded(request)
            return self.render_page(request, {step: form})
        try:
            message = self._take(request, step, form)
        except PermissionDenied as error:
            if form is None:
                messages.error(request, str(error))
                return HttpResponseRedirect(reverse("movements_staff:registration", args=[pk]))
            form.add_error(None, str(error))
            nothing_recorded(request)
            return self.render_page(request, {step: form})
        except ValidationError as error:
            if form is None:
                for text in error.messages:
                    messages.error(request, text)
                return HttpResponseRedirect(reverse("movements_staff:registration", args=[pk]))
            service_errors_to_form(form, error)
            nothing_recorded(request)
            return self.render_page(request, {step: form})
        messages.success(request, message)
        return HttpResponseRedirect(reverse("movements_staff:registration", args=[pk]))

    def _bound(self, request: HttpRequest, step: str, unbound: Any) -> Any:
        if step == "review":
            return None
        acts = organizations_user_acts_for(request.user)
        data, files = request.POST, request.FILES
        if step == "evaluate":
            return EvaluationForm(data, criteria=self.criteria, prefix=step)
        if step in ("recognize", "renew"):
            return DecisionForm(data, organizations=acts, prefix=step)
        if step in ("reject", "screen_out"):
            return ReasonForm(data, prefix=step)
        if step == "replicate":
            adopters = permissions.organizations_user_may_act_for(request.user).exclude(
                pk=self.row.organization_id
            )
            return ReplicationForm(data, organizations=adopters, prefix=step)
        return EvidenceForm(data, files, prefix=step)

    def _take(self, request: HttpRequest, step: str, form: Any) -> str:
        user, row = request.user, self.row
        data = form.cleaned_data if form is not None else {}
        if step == "review":
            registrations.registration_review(actor=user, registration=row)
            return gettext("Opened for review.")
        if step == "evaluate":
            evaluation = registrations.evaluation_record(
                actor=user,
                registration=row,
                scores=form.scores(),
                note=data["note"],
                evaluated_on=data["evaluated_on"],
            )
            return gettext("Evaluation recorded: %(total)d of %(maximum)d.") % {
                "total": evaluation.total,
                "maximum": evaluation.maximum,
            }
        if step in ("recognize", "renew"):
            service = (
                registrations.registration_recognize
                if step == "recognize"
                else registrations.registration_renew
            )
            service(
                actor=user,
                registration=row,
                level=data["level"],
                decided_on=data["decided_on"],
                decision_number=data["decision_number"],
                decided_by=data.get("decided_by"),
            )
            return gettext("Recognized for %(year)d.") % {"year": data["decided_on"].year}
        if step == "reject":
            registrations.registration_reject(actor=user, registration=row, reason=data["reason"])
            return gettext("Recorded as not recognized.")
        if step == "screen_out":
            registrations.registration_screen_out(
                actor=user, registration=row, reason=data["reason"]
            )
            return gettext("Screened out.")
        if step == "replicate":
            assert self.model is not None  # noqa: S101 (offered for models only)
            replication = replications.replication_record(
                actor=user,
                model=self.model,
                organization=data["organization"],
                commune=data.get("commune"),
                started_on=data["started_on"],
                note=data["note"],
            )
            return gettext("Adoption by %(organization)s recorded.") % {
                "organization": replication.organization.name
            }
        registrations.evidence_add(
            actor=user,
            registration=row,
            caption=data["caption"],
            photo=data.get("photo"),
            document=data.get("document"),
            is_public=data["is_public"],
        )
        return gettext("Evidence added.")


class _FileView(MovementView):
    """A page that changes a registration's file: for those who may change
    it now (`may_edit`); others go back to its page with the reason."""

    @property
    def parents(self) -> tuple[tuple[str, Any], ...]:  # type: ignore[override]
        return (MODELS,) if self.model is not None else (EXEMPLARS,)

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        items = super().get_breadcrumbs_items()
        page = {
            "url": reverse("movements_staff:registration", args=[self.row.pk]),
            "label": self.row.name,
        }
        return [*items[:-1], page, items[-1]]

    def _load(self, request: HttpRequest, pk: int) -> HttpResponse | None:
        """Load the registration; return a redirect if the user may not change it."""
        self.row: Registration = get_or_404(
            readable_registrations(Registration.objects.all(), request.user).select_related(
                *_LIST_RELATED
            ),
            pk,
        )
        self.model = MovementModel.objects.filter(pk=pk).first()
        self.exemplar = None if self.model is not None else Exemplar.objects.get(pk=pk)
        if may_edit(request.user, self.row):
            return None
        if not permissions.may_act_for(request.user, self.row.organization):
            messages.error(
                request,
                gettext(
                    "Only the staff of %(organization)s or the commission of its province "
                    "may change this."
                )
                % {"organization": self.row.organization.name},
            )
        else:
            messages.error(
                request,
                gettext("It is “%(status)s”: its file and results can no longer be changed.")
                % {"status": self.row.get_status_display()},
            )
        return HttpResponseRedirect(self._back())

    def _back(self) -> str:
        return reverse("movements_staff:registration", args=[self.row.pk])


class RegistrationEditView(_FileView):
    """Change the file of a model or an exemplar: its name, field, themes,
    place, dates, description and the people involved."""

    template_name = "movements/staff/edit.html"
    page_title = _("Change the file")

    def _form(self, data: Any = None) -> Any:
        if self.model is not None:
            return ModelEditForm(data, registration=self.model)
        assert self.exemplar is not None  # noqa: S101 (one or the other)
        return ExemplarEditForm(data, registration=self.exemplar)

    def _render(self, form: Any) -> HttpResponse:
        if form.is_bound:
            nothing_recorded(self.request)
        return self.render_to_response(
            self.get_context_data(form=form, row=self.row, back=self._back())
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Show the form filled with the file as it stands."""
        return self._load(request, pk) or self._render(self._form())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Store the changes and go back to the registration's page."""
        refused = self._load(request, pk)
        if refused is not None:
            return refused
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form)
        kwargs = form.update_kwargs(self.row)
        try:
            if self.model is not None:
                changed = registrations.model_update(
                    actor=request.user,
                    registration=self.model,
                    community=form.cleaned_data.get("community"),
                    **kwargs,
                )
            else:
                assert self.exemplar is not None  # noqa: S101 (one or the other)
                changed = registrations.exemplar_update(
                    actor=request.user,
                    registration=self.exemplar,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    **kwargs,
                )
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self._render(form)
        except ValidationError as error:
            service_errors_to_form(form, error)
            return self._render(form)
        if changed:
            messages.success(request, gettext("Changes saved."))
        else:
            messages.info(request, gettext("Nothing was changed."))
        return HttpResponseRedirect(self._back())


class RegistrationResultsView(_FileView):
    """The results of a model or an exemplar: add lines, and a link to
    correct each one."""

    template_name = "movements/staff/results.html"
    page_title = _("Results")

    def _render(self, formset: Any) -> HttpResponse:
        if formset.is_bound:
            nothing_recorded(self.request)
        return self.render_to_response(
            self.get_context_data(
                row=self.row,
                results=list(self.row.results.all()),
                formset=formset,
                back=self._back(),
            )
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Show the results and empty lines to add."""
        return self._load(request, pk) or self._render(ResultLineFormSet(prefix="results"))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Add the filled lines."""
        refused = self._load(request, pk)
        if refused is not None:
            return refused
        formset = ResultLineFormSet(request.POST, prefix="results")
        if not formset.is_valid():
            return self._render(formset)
        try:
            added = registrations.results_add(
                actor=request.user, registration=self.row, results=results_of(formset)
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(self._back())
        except ValidationError as error:
            rest = service_errors_to_formset(formset, "results", error)
            if rest is not None:
                for text in rest.messages:
                    messages.error(request, text)
            return self._render(formset)
        messages.success(request, gettext("Results added: %(count)d.") % {"count": len(added)})
        return HttpResponseRedirect(
            reverse("movements_staff:registration_results", args=[self.row.pk])
        )


class ResultCorrectView(_FileView):
    """Correct one result line."""

    template_name = "movements/staff/edit.html"
    page_title = _("Correct a result")

    def _render(self, form: Any) -> HttpResponse:
        if form.is_bound:
            nothing_recorded(self.request)
        back = reverse("movements_staff:registration_results", args=[self.row.pk])
        remove = reverse("movements_staff:result_remove", args=[self.row.pk, self.result.pk])
        return self.render_to_response(
            self.get_context_data(form=form, row=self.row, back=back, remove_url=remove)
        )

    def _result(self, result_pk: int) -> ResultFigure:
        result = ResultFigure.objects.filter(pk=result_pk, registration_id=self.row.pk).first()
        if result is None:
            raise Http404(gettext("Nothing you may open has this number."))
        return result

    def get(self, request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
        """Show the line as it stands."""
        refused = self._load(request, pk)
        if refused is not None:
            return refused
        result = self.result = self._result(result_pk)
        initial = {name: getattr(result, name) for name in ("label", "value", "unit")}
        initial["measured_on"] = result.measured_on
        return self._render(ResultCorrectForm(initial=initial))

    def post(self, request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
        """Store the correction and go back to the results."""
        refused = self._load(request, pk)
        if refused is not None:
            return refused
        result = self.result = self._result(result_pk)
        form = ResultCorrectForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            registrations.result_correct(actor=request.user, result=result, **form.cleaned_data)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self._render(form)
        except ValidationError as error:
            service_errors_to_form(form, error)
            return self._render(form)
        messages.success(request, gettext("Result corrected."))
        return HttpResponseRedirect(
            reverse("movements_staff:registration_results", args=[self.row.pk])
        )


class ResultRemoveView(ResultCorrectView):
    """Remove one result line (a POST from its correction page)."""

    def get(self, request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
        """Nothing to show: the line's correction page holds the button."""
        return HttpResponseRedirect(
            reverse("movements_staff:result_correct", args=[pk, result_pk])
        )

    def post(self, request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
        """Remove the line and go back to the results."""
        refused = self._load(request, pk)
        if refused is not None:
            return refused
        results = reverse("movements_staff:registration_results", args=[self.row.pk])
        result = ResultFigure.objects.filter(pk=result_pk, registration_id=self.row.pk).first()
        if result is None:  # already removed: a request sent twice
            messages.info(request, gettext("This result was already removed."))
            return HttpResponseRedirect(results)
        try:
            registrations.result_remove(actor=request.user, result=result)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(self._back())
        messages.success(request, gettext("Result removed."))
        return HttpResponseRedirect(results)

"""Load the demo (`danvan.demo.data`) through the services.

Idempotent: what exists already (found by code or username) is kept as it
is, so that a second run creates nothing and changes nothing, and changes
made in the back-office survive a re-run. Every write goes through a
service with no actor, so the audit trail shows what the demo created.
Needs the administrative units (`manage.py load_units`). The invented
petitions are the exception: they are made in bulk by
`petitions.generator` (with their case events, as the workflow would have
written them), once, and their run is recorded in the audit trail.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from danvan.core.audit import audit_record
from danvan.core.models import AuditEvent
from danvan.demo import data
from danvan.demo.briefings import load_briefings
from danvan.demo.movements import load_movements
from danvan.demo.portal import load_portal
from danvan.demo.portal_readers import demo_article_views, demo_reader_feedback
from danvan.demo.reception import load_reception
from danvan.geo.models import Cluster, Commune, Province
from danvan.geo.services import cluster_create
from danvan.orgs.models import Membership, Organization
from danvan.orgs.services import membership_grant, organization_close, organization_create
from danvan.petitions import generator


class DemoError(Exception):
    """The demo cannot be loaded (e.g. the units are missing)."""


@dataclass
class DemoReport:
    """How many rows of each kind were created and found existing."""

    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)

    def count(self, kind: str, *, created: bool) -> None:
        (self.created if created else self.existing)[kind] += 1

    @property
    def changed(self) -> bool:
        return sum(self.created.values()) > 0


def _check_units() -> dict[tuple[int, str], Commune]:
    """Return the communes the demo names; fail clearly if any is missing."""
    codes = {p.code for p in data.PROVINCES}
    if Province.objects.filter(code__in=codes).count() != len(codes):
        raise DemoError(
            "The administrative units are not loaded: run `manage.py load_units` first."
        )
    wanted = {(p.code, name) for p in data.PROVINCES for name in p.communes}
    communes = {
        (c.province_id, c.name): c
        for c in Commune.objects.filter(
            province_id__in=codes, name__in={name for _, name in wanted}
        )
    }
    missing = sorted(f"{name} ({code})" for code, name in wanted - set(communes))
    if missing:
        raise DemoError("Communes not found in the loaded units: " + ", ".join(missing))
    return communes


def _load_clusters(report: DemoReport) -> None:
    existing = set(Cluster.objects.values_list("code", flat=True))
    for spec in data.CLUSTERS:
        if spec.code in existing:
            report.count("clusters", created=False)
            continue
        cluster_create(
            actor=None,
            code=spec.code,
            name=spec.name,
            description=spec.description,
            valid_from=spec.valid_from,
            valid_to=spec.valid_to,
            province_codes=spec.provinces,
            legacy_province_codes=spec.legacy_provinces,
        )
        report.count("clusters", created=True)


def _load_organizations(
    report: DemoReport, communes: dict[tuple[int, str], Commune]
) -> dict[str, Organization]:
    specs = data.all_organizations()
    by_code = {o.code: o for o in Organization.objects.filter(code__in=[s.code for s in specs])}
    provinces = {p.code: p for p in Province.objects.filter(code__in={s.province for s in specs})}
    for spec in specs:
        if spec.code in by_code:
            report.count("organizations", created=False)
            continue
        by_code[spec.code] = organization_create(
            actor=None,
            code=spec.code,
            name=spec.name,
            short_name=spec.short_name,
            kind=spec.kind,
            level=spec.level,
            parent=by_code[spec.parent] if spec.parent else None,
            province=provinces[spec.province] if spec.province else None,
            commune=communes[(spec.province, spec.commune)]
            if spec.province and spec.commune
            else None,
            valid_from=spec.valid_from,
            email=f"{spec.code}@{data.EMAIL_DOMAIN}",
        )
        report.count("organizations", created=True)
    for _, rename in data.predecessor_organizations():
        old = by_code[rename.code]
        if old.valid_to is None:
            by_code[rename.code] = organization_close(
                actor=None,
                organization=old,
                valid_to=rename.valid_to,
                successor=by_code[rename.successor],
            )
    return by_code


def _user(
    report: DemoReport,
    *,
    username: str,
    password: str,
    first_name: str,
    last_name: str,
    superuser: bool = False,
) -> Any:
    """Return the demo user `username`, created with its password if new."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None:
        report.count("users", created=False)
        return user
    user = user_model(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=f"{username}@{data.EMAIL_DOMAIN}",
        is_staff=superuser,
        is_superuser=superuser,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=None,
        action="user.create",
        target=user,
        data={
            "username": username,
            "first_name": first_name,
            "last_name": last_name,
            "is_superuser": superuser,
            "source": "demo",
        },
    )
    report.count("users", created=True)
    return user


def _load_accounts(report: DemoReport, organizations: dict[str, Organization]) -> None:
    _user(
        report,
        username=data.SUPERUSER_USERNAME,
        password=data.SUPERUSER_PASSWORD,
        first_name=data.SUPERUSER_NAME[0],
        last_name=data.SUPERUSER_NAME[1],
        superuser=True,
    )
    for account in data.accounts():
        user = _user(
            report,
            username=account.username,
            password=data.DEMO_PASSWORD,
            first_name=account.first_name,
            last_name=account.last_name,
        )
        organization = organizations[account.organization]
        if Membership.objects.filter(
            user=user, organization=organization, role=account.role
        ).exists():
            # Kept as it is, even if ended in the back-office.
            report.count("memberships", created=False)
            continue
        membership_grant(actor=None, user=user, organization=organization, role=account.role)
        report.count("memberships", created=True)


def _load_petitions(report: DemoReport) -> None:
    """Add the demo's invented petitions once (`petitions.generator`), over two years.

    Recorded in the audit trail under the run `DEMO_PETITIONS_RUN`: once
    there, nothing is added again, even if the petitions were changed.
    """
    if AuditEvent.objects.filter(
        action=generator.GENERATE_ACTION, data__run=data.DEMO_PETITIONS_RUN
    ).exists():
        report.count("petition runs", created=False)
        return
    end = timezone.now().replace(microsecond=0)
    context = generator.demo_context(start=end - datetime.timedelta(days=730), end=end)
    created = generator.petitions_generate(
        context,
        count=data.DEMO_PETITIONS,
        seed=data.DEMO_PETITIONS_SEED,
        key=data.DEMO_PETITIONS_RUN,
        use_copy=False,
    )
    report.created["petitions"] += created
    report.count("petition runs", created=True)


@transaction.atomic
def load_demo() -> DemoReport:
    """Create whatever of the demo is missing and report what was done."""
    report = DemoReport()
    communes = _check_units()
    _load_clusters(report)
    organizations = _load_organizations(report, communes)
    _load_accounts(report, organizations)
    _load_petitions(report)
    load_reception(report)
    articles = load_portal(report)
    for _ in range(demo_reader_feedback(articles)):
        report.count("feedback", created=True)
    if demo_article_views(articles):
        report.count("view counts", created=True)
    load_movements(report)
    # Last: the briefing's figures read the petitions, visits and models above,
    # and its conclusion drafts an article in the portal.
    load_briefings(report)
    return report

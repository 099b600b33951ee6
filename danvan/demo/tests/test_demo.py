"""The demo: its data, the loader's idempotency, and the accounts it gives."""

import io
import json
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.test import Client

from danvan.core.models import AuditEvent
from danvan.demo import data
from danvan.geo.models import Cluster
from danvan.orgs.models import Membership, Organization, Role
from danvan.orgs.selectors import organizations_user_can_read

User = get_user_model()


def counts() -> dict[str, int]:
    return {
        "organizations": Organization.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "clusters": Cluster.objects.count(),
        "audit events": AuditEvent.objects.count(),
    }


def load(**options: Any) -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


# the data, without a database ---------------------------------------------


def test_codes_and_usernames_are_unique() -> None:
    codes = Counter(spec.code for spec in data.all_organizations())
    assert [code for code, n in codes.items() if n > 1] == []
    usernames = Counter(account.username for account in data.accounts())
    assert [name for name, n in usernames.items() if n > 1] == []
    assert data.SUPERUSER_USERNAME not in usernames


def test_every_account_works_in_a_demo_body() -> None:
    codes = {spec.code for spec in data.all_organizations()}
    assert all(account.organization in codes for account in data.accounts())
    for province in data.PROVINCES:
        assert set(province.people) == set(Role)


def test_demo_passwords_pass_the_password_validators() -> None:
    for account in data.accounts():
        user = User(
            username=account.username,
            first_name=account.first_name,
            last_name=account.last_name,
            email=f"{account.username}@{data.EMAIL_DOMAIN}",
        )
        validate_password(data.DEMO_PASSWORD, user)
    validate_password(data.SUPERUSER_PASSWORD, User(username=data.SUPERUSER_USERNAME))


# loading ------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_twice_creates_nothing_the_second_time() -> None:
    before = counts()
    first = load()
    after_first = counts()
    second = load()
    assert counts() == after_first
    assert after_first["organizations"] - before["organizations"] == 62
    assert after_first["users"] - before["users"] == len(data.accounts()) + 1
    assert after_first["memberships"] - before["memberships"] == len(data.accounts())
    assert after_first["clusters"] - before["clusters"] == 2
    assert "Demo loaded" in first
    assert "Demo already loaded" in second


@pytest.mark.django_db
def test_everything_is_written_through_the_services() -> None:
    load()
    actions = Counter(AuditEvent.objects.values_list("action", flat=True))
    assert actions["organization.create"] == 62
    assert actions["organization.close"] == 1
    assert actions["membership.grant"] == len(data.accounts())
    assert actions["cluster.create"] == 2
    assert actions["user.create"] == len(data.accounts()) + 1
    # The reception demo acts as the demo accounts would (its services check
    # who may write); everything else is written with no actor.
    acted = AuditEvent.objects.exclude(actor=None)
    accounts = {account.username for account in data.accounts()}
    assert set(acted.values_list("actor_username", flat=True)) <= accounts
    assert not acted.filter(action__regex=r"^(organization|membership|cluster|user)\.").exists()


@pytest.mark.django_db
def test_communes_have_their_real_codes_and_the_hierarchy_holds() -> None:
    load()
    my_tho = Organization.objects.get(code="ubnd-phuong-my-tho")
    assert (my_tho.commune_id, my_tho.province_id) == (28261, 82)
    assert my_tho.parent is not None
    assert my_tho.parent.code == "ubnd-dong-thap"
    phu_quoc = Organization.objects.get(code="ubnd-dac-khu-phu-quoc")
    assert phu_quoc.name == "Ủy ban nhân dân đặc khu Phú Quốc"
    assert phu_quoc.province_id == 91
    commission = Organization.objects.get(code="bantgdv-can-tho")
    assert commission.name == "Ban Tuyên giáo và Dân vận Thành ủy Cần Thơ"
    assert commission.parent is not None
    assert commission.parent.code == "bantgdv-tw"


@pytest.mark.django_db
def test_the_old_commission_was_renamed() -> None:
    load()
    old = Organization.objects.get(code="bandv-dong-thap")
    assert old.name == "Ban Dân vận Tỉnh ủy Đồng Tháp"
    assert old.valid_to == data.OLD_COMMISSION_LAST_DAY
    assert old.successor is not None
    assert old.successor.code == "bantgdv-dong-thap"


@pytest.mark.django_db
def test_clusters_before_and_after_the_merger() -> None:
    load()
    current = Cluster.objects.get(code="dbscl")
    assert sorted(current.provinces.values_list("code", flat=True)) == [80, 82, 86, 91, 92, 96]
    assert not current.legacy_provinces.exists()
    legacy = Cluster.objects.get(code="dbscl-2020")
    assert legacy.legacy_provinces.count() == 13
    assert str(legacy.valid_to) == "2025-06-30"


@pytest.mark.django_db
def test_loading_fails_clearly_when_a_commune_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    province = data.PROVINCES[0]
    broken = type(province)(
        key=province.key,
        slug=province.slug,
        code=province.code,
        title=province.title,
        party_committee=province.party_committee,
        communes=("Phường Không Có",),
        people=province.people,
    )
    monkeypatch.setattr(data, "PROVINCES", (broken,))
    with pytest.raises(CommandError, match=r"Phường Không Có \(82\)"):
        load()
    assert not Organization.objects.filter(code="ubnd-dong-thap").exists()


# the accounts -------------------------------------------------------------


@pytest.mark.django_db
def test_demo_accounts_prints_every_account_as_json() -> None:
    load()
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    accounts = json.loads(out.getvalue())
    assert len(accounts) == len(data.accounts()) + 1
    assert accounts[0] == {
        "username": "admin",
        "password": data.SUPERUSER_PASSWORD,
        "roles": ["superuser"],
        "organization": None,
    }
    for account in accounts[1:]:
        assert set(account) == {"username", "password", "roles", "organization"}
        assert set(account["organization"]) == {"code", "name"}
        membership = Membership.objects.get(
            user__username=account["username"],
            organization__code=account["organization"]["code"],
        )
        assert [membership.role] == account["roles"]
        assert membership.organization.name == account["organization"]["name"]
    dongthap = {a["username"]: a for a in accounts if a["username"].startswith("dongthap.")}
    assert {name: a["roles"][0] for name, a in dongthap.items()} == {
        "dongthap.tiepdan": "reception_officer",
        "dongthap.xuly": "handler",
        "dongthap.lanhdao": "head",
        "dongthap.danvan": "commission_staff",
        "dongthap.bientap": "editor",
        "dongthap.quantri": "administrator",
    }


@pytest.mark.django_db
def test_demo_accounts_have_vietnamese_names() -> None:
    load()
    user = User.objects.get(username="dongthap.tiepdan")
    assert (user.last_name, user.first_name) == ("Trần Thị Mỹ", "Linh")
    assert User.objects.filter(first_name="").count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("dongthap.tiepdan", data.DEMO_PASSWORD),
        ("cantho.quantri", data.DEMO_PASSWORD),
        ("admin", data.SUPERUSER_PASSWORD),
    ],
)
def test_a_demo_account_can_log_in_to_the_back_office(username: str, password: str) -> None:
    load()
    client = Client()
    assert client.login(username=username, password=password)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_demo_roles_read_what_they_should() -> None:
    load()
    head = User.objects.get(username="dongthap.lanhdao")
    readable = set(organizations_user_can_read(head).values_list("code", flat=True))
    assert {"ubnd-dong-thap", "thanhtra-dong-thap", "ubnd-phuong-my-tho"} <= readable
    assert "ubnd-an-giang" not in readable
    assert "bantgdv-dong-thap" not in readable
    handler = User.objects.get(username="dongthap.xuly")
    assert set(organizations_user_can_read(handler).values_list("code", flat=True)) == {
        "thanhtra-dong-thap"
    }
    central = User.objects.get(username="trunguong.danvan")
    commissions = set(organizations_user_can_read(central).values_list("code", flat=True))
    assert {f"bantgdv-{p.slug}" for p in data.PROVINCES} <= commissions


@pytest.mark.django_db
def test_a_provincial_administrator_manages_only_their_province() -> None:
    load()
    client = Client()
    assert client.login(username="angiang.quantri", password=data.DEMO_PASSWORD)
    content = client.get("/admin/organizations/", {"q": "uy ban nhan dan"}).content.decode()
    assert "Ủy ban nhân dân phường Long Xuyên" in content
    assert "Ủy ban nhân dân phường Mỹ Tho" not in content
    assert client.get("/admin/memberships/").status_code == 200
    handler = Client()
    assert handler.login(username="angiang.xuly", password=data.DEMO_PASSWORD)
    assert handler.get("/admin/organizations/").status_code == 302


@pytest.mark.django_db
def test_demo_refuses_to_load_where_it_is_not_enabled(settings: Any) -> None:
    settings.DANVAN_DEMO = False
    with pytest.raises(CommandError, match="DANVAN_DEMO=true"):
        load()
    assert not User.objects.filter(username="admin").exists()
    load(force=True)
    assert User.objects.filter(username="admin", is_superuser=True).exists()


def test_readme_lists_every_demo_account_with_its_password() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    for account in data.accounts():
        assert f"| `{account.username}` | `{data.DEMO_PASSWORD}` |" in readme, account.username


@pytest.mark.django_db
def test_demo_administrator_keeps_the_calendar_and_reads_the_audit_trail() -> None:
    load()
    administrator = Client()
    assert administrator.login(username="dongthap.quantri", password=data.DEMO_PASSWORD)
    assert administrator.get("/admin/audit/").status_code == 200
    assert administrator.get("/admin/calendar_overrides/").status_code == 200
    assert administrator.get("/admin/calendar_overrides/new/").status_code == 200
    handler = Client()
    assert handler.login(username="dongthap.xuly", password=data.DEMO_PASSWORD)
    assert handler.get("/admin/audit/").status_code in (302, 403)
    assert handler.get("/admin/calendar_overrides/").status_code in (302, 403)

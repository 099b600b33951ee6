"""The demo accounts as data for people and tools (`manage.py demo_accounts`)."""

from typing import Any

from danvan.demo import data
from danvan.orgs.models import Organization


def demo_accounts() -> list[dict[str, Any]]:
    """Return every demo account: username, password, roles and organization.

    The superuser comes first, with the roles `["superuser"]` and no
    organization. The roles are those the demo grants; the organization's
    name is read from the database when the demo is loaded.
    """
    specs = {spec.code: spec for spec in data.all_organizations()}
    names = dict(Organization.objects.filter(code__in=list(specs)).values_list("code", "name"))
    result: list[dict[str, Any]] = [
        {
            "username": data.SUPERUSER_USERNAME,
            "password": data.SUPERUSER_PASSWORD,
            "roles": ["superuser"],
            "organization": None,
        }
    ]
    for account in data.accounts():
        code = account.organization
        result.append(
            {
                "username": account.username,
                "password": data.DEMO_PASSWORD,
                "roles": [str(account.role)],
                "organization": {"code": code, "name": names.get(code, specs[code].name)},
            }
        )
    return result

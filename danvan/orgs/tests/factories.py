"""Factories of users, organizations and memberships for tests.

They write with the ORM directly, to set up a state quickly; the services
themselves are tested through their own calls.
"""

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from danvan.core.text import fold
from danvan.orgs.models import Membership, Organization, OrganizationKind, OrganizationLevel, Role

PASSWORD = "Thu-Nghiem@2026"


class UserFactory(DjangoModelFactory):  # type: ignore[type-arg]
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"canbo{n}")
    first_name = factory.Faker("first_name", locale="vi_VN")
    last_name = factory.Faker("last_name", locale="vi_VN")
    password = factory.django.Password(PASSWORD)
    is_active = True


class OrganizationFactory(DjangoModelFactory):  # type: ignore[type-arg]
    class Meta:
        model = Organization
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"co-quan-{n}")
    name = factory.Sequence(lambda n: f"Cơ quan thử nghiệm {n}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.name))
    kind = OrganizationKind.PEOPLES_COMMITTEE
    level = OrganizationLevel.PROVINCE


class MembershipFactory(DjangoModelFactory):  # type: ignore[type-arg]
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.HANDLER

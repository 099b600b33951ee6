"""The portal's showcase: only recognized models and exemplars, with their
public photos, filters, pages, a model's replications, and query counts."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django import DjangoAssertNumQueries

from danvan.movements import registrations, replications
from danvan.movements.tests.factories import MovementWorld, recognize, register_model

pytestmark = pytest.mark.django_db

SHOWCASE = reverse("movements_portal:showcase")
DAY = datetime.date(2026, 5, 4)


def photo(name: str = "hoi-quan.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 420), (180, 40, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def cards(page: str) -> int:
    return page.count('data-testid="showcase-card"')


def test_showcase_shows_only_recognized_ones(world: MovementWorld) -> None:
    shown = recognize(world, register_model(world, name="Hội quán Mỹ Tho"), on=DAY)
    register_model(world, name="Mô hình chưa xét")
    reviewed = registrations.registration_review(
        actor=world.reviewer, registration=register_model(world, name="Mô hình đang xét")
    )
    screened = recognize(world, register_model(world, name="Mô hình đã loại"), on=DAY)
    registrations.registration_screen_out(
        actor=world.reviewer, registration=screened, reason="Ngưng hoạt động"
    )
    page = Client().get(SHOWCASE)
    assert page.status_code == 200
    assert cards(page.text) == 1
    assert "Hội quán Mỹ Tho" in page.text
    assert Client().get(reverse("movements_portal:model", args=[shown.pk])).status_code == 200
    for hidden in (reviewed, screened):
        assert Client().get(reverse("movements_portal:model", args=[hidden.pk])).status_code == 404


def test_showcase_filters(world: MovementWorld) -> None:
    recognize(world, register_model(world, name="Kinh tế"), on=DAY)
    recognize(world, register_model(world, name="Văn hóa", field="culture_society"), on=DAY)
    recognize(
        world,
        register_model(
            world, name="An Giang", organization=world.an_giang, actor=world.an_giang_reviewer
        ),
        on=DAY,
        actor=world.an_giang_reviewer,
    )
    client = Client()
    assert cards(client.get(SHOWCASE).text) == 3
    assert cards(client.get(SHOWCASE, {"field": "culture_society"}).text) == 1
    assert cards(client.get(SHOWCASE, {"province": 91}).text) == 1
    assert cards(client.get(SHOWCASE, {"year": 2026}).text) == 3
    assert cards(client.get(SHOWCASE, {"year": 2025}).text) == 0
    assert cards(client.get(SHOWCASE, {"kind": "exemplar"}).text) == 0


def test_model_page_shows_photos_and_replications(world: MovementWorld) -> None:
    model = recognize(world, register_model(world), on=DAY)
    registrations.evidence_add(
        actor=world.reviewer, registration=model, caption="Buổi sinh hoạt", photo=photo()
    )
    registrations.evidence_add(
        actor=world.reviewer,
        registration=model,
        caption="Ảnh nội bộ",
        photo=photo("noi-bo.jpg"),
        is_public=False,
    )
    replications.replication_record(
        actor=world.an_giang_staff, model=model, organization=world.an_giang, started_on=DAY
    )
    page = Client().get(reverse("movements_portal:model", args=[model.pk]))
    assert "Buổi sinh hoạt" in page.text
    assert "Ảnh nội bộ" not in page.text
    assert page.text.count('data-testid="portal-replication"') == 1
    assert 'data-testid="portal-reach-units">2<' in page.text
    assert "Ủy ban nhân dân phường Long Xuyên" in page.text


def test_showcase_pages_take_few_queries(
    world: MovementWorld, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for index in range(14):
        model = recognize(world, register_model(world, name=f"Mô hình {index}"), on=DAY)
        registrations.evidence_add(
            actor=world.reviewer, registration=model, caption=f"Ảnh {index}", photo=photo()
        )
    client = Client()
    client.get(SHOWCASE)  # make the renditions
    with django_assert_max_num_queries(8):
        page = client.get(SHOWCASE)
    assert cards(page.text) == 12
    assert cards(client.get(SHOWCASE, {"page": 2}).text) == 2
    url = reverse("movements_portal:model", args=[model.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200

"""Attachments: checked by content, stored with the petition, served to the allowed only."""

import io
import zipfile
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from danvan.core.models import AuditEvent
from danvan.orgs.models import Role
from danvan.petitions import services
from danvan.petitions.attachments import attachments_check, attachments_store
from danvan.petitions.models import Attachment, Channel, Petition
from danvan.petitions.tests.conftest import COMMUNE, translated
from danvan.petitions.tests.factories import PERSON, make_petition, org_tree, staff_user
from danvan.petitions.workflow import PetitionKind

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100


def pdf(name: str = "don.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile("don.docx", buffer.getvalue())


def _messages(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return error.value.message_dict["attachments"]


def test_pdf_png_and_docx_are_accepted_by_their_content() -> None:
    attachments_check([pdf(), SimpleUploadedFile("anh.png", PNG), docx()])


def test_program_disguised_as_pdf_is_refused_whatever_its_name() -> None:
    with pytest.raises(ValidationError) as error:
        attachments_check([pdf("hop-dong.pdf", EXE)])

    assert _messages(error) == [
        translated(
            "The file “%(name)s” is not a PDF, JPEG, PNG, DOCX or ODT document "
            "(judged by its content, not its name). Save it in one of these formats.",
            name="hop-dong.pdf",
        )
    ]


def test_file_larger_than_the_setting_is_refused_with_sizes(settings: Any) -> None:
    settings.PETITION_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = pdf(content=PDF + b"0" * (2 * 1024 * 1024))

    with pytest.raises(ValidationError) as error:
        attachments_check([big])

    (message,) = _messages(error)
    assert "don.pdf" in message
    assert "1,0 MB" in message  # the limit, with a Vietnamese decimal comma


def test_too_many_files_counting_those_already_stored(settings: Any) -> None:
    settings.PETITION_ATTACHMENT_MAX_COUNT = 3

    attachments_check([pdf(), pdf()], existing=1)
    with pytest.raises(ValidationError) as error:
        attachments_check([pdf(), pdf()], existing=2)

    assert len(_messages(error)) == 1
    assert "3" in _messages(error)[0]


def test_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        attachments_check([pdf(content=b"")])

    assert _messages(error) == [
        translated("The file “%(name)s” is empty: choose the file again.", name="don.pdf")
    ]


def _receive(files: list[Any], kind: PetitionKind = PetitionKind.FEEDBACK) -> Petition:
    received = services.petition_receive(
        kind=kind,
        channel=Channel.PORTAL,
        title="Đường ngập",
        content="Đường Lê Lợi ngập sau mưa.",
        commune_code=COMMUNE,
        petitioners=[PERSON],
        attachments=files,
    )
    return Petition.objects.get(code=received.code)


def test_intake_stores_attachments_with_hash_type_and_original_name_apart() -> None:
    petition = _receive([pdf("Đơn của tôi.pdf")])

    (attachment,) = petition.attachments.all()
    assert attachment.original_name == "Đơn của tôi.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert len(attachment.sha256) == 64
    assert "Đơn" not in attachment.file.name
    assert attachment.sha256 in attachment.file.name
    assert attachment.reveals_identity is False
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF
    event = AuditEvent.objects.get(action="petition.attachments_store")
    assert event.data["content_types"] == ["application/pdf"]
    assert "Đơn" not in str(event.data)


def test_denunciation_documents_reveal_identity_by_default() -> None:
    petition = _receive([pdf()], kind=PetitionKind.DENUNCIATION)

    assert petition.attachments.get().reveals_identity is True


def test_bad_attachment_is_reported_with_other_fields_and_nothing_is_stored() -> None:
    with pytest.raises(ValidationError) as error:
        services.petition_receive(
            kind=PetitionKind.FEEDBACK,
            channel=Channel.PORTAL,
            title="",
            content="Nội dung",
            commune_code=COMMUNE,
            petitioners=[PERSON],
            attachments=[pdf("x.pdf", EXE)],
        )

    assert set(error.value.message_dict) == {"title", "attachments"}
    assert not Petition.objects.exists()


def test_crash_while_storing_a_file_leaves_no_petition() -> None:
    with (
        mock.patch(
            "django.core.files.storage.InMemoryStorage._save", side_effect=OSError("disk full")
        ),
        pytest.raises(OSError, match="disk full"),
    ):
        _receive([pdf()])

    assert not Petition.objects.exists()
    assert not Attachment.objects.exists()
    assert not AuditEvent.objects.filter(action="petition.receive").exists()


# The protected download view.


@pytest.fixture
def denunciation() -> dict[str, Any]:
    tree = org_tree()
    handler = staff_user(tree.inspectorate, Role.HANDLER, username="xuly")
    other = staff_user(tree.inspectorate, Role.HANDLER, username="dongnghiep")
    outsider = staff_user(username="ngoai")
    petition = make_petition(
        kind=PetitionKind.DENUNCIATION, organization=tree.inspectorate, assigned_to=handler
    )
    with transaction.atomic():
        revealing, plain = (
            attachments_store(petition=petition, files=[pdf("Đơn tố cáo.pdf")], actor=None)[0],
            attachments_store(
                petition=petition,
                files=[SimpleUploadedFile("anh.png", PNG)],
                actor=None,
                reveals_identity=False,
            )[0],
        )
    return {
        "petition": petition,
        "handler": handler,
        "other": other,
        "outsider": outsider,
        "revealing": revealing,
        "plain": plain,
    }


def _url(petition: Petition, attachment: Attachment) -> str:
    return f"/files/petitions/{petition.code}/{attachment.pk}/"


def test_assigned_handler_downloads_with_original_name_and_the_view_is_recorded(
    denunciation: dict[str, Any],
) -> None:
    client = Client()
    client.force_login(denunciation["handler"])
    petition, attachment = denunciation["petition"], denunciation["revealing"]

    response = client.get(_url(petition, attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%C4%90%C6%A1n%20t%E1%BB%91%20c%C3%A1o.pdf" in disposition
    event = AuditEvent.objects.get(action="petition.attachment_view")
    assert event.kind == AuditEvent.Kind.VIEW
    assert event.actor == denunciation["handler"]
    assert event.data["attachment_id"] == attachment.pk


def test_colleague_gets_only_documents_that_do_not_reveal_the_denouncer(
    denunciation: dict[str, Any],
) -> None:
    client = Client()
    client.force_login(denunciation["other"])
    petition = denunciation["petition"]

    hidden = client.get(_url(petition, denunciation["revealing"]))
    allowed = client.get(_url(petition, denunciation["plain"]))
    missing = client.get(f"/files/petitions/{petition.code}/999999/")

    assert allowed.status_code == 200
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_outsider_and_anonymous_visitor_cannot_download(denunciation: dict[str, Any]) -> None:
    petition, attachment = denunciation["petition"], denunciation["plain"]
    outsider = Client()
    outsider.force_login(denunciation["outsider"])

    assert outsider.get(_url(petition, attachment)).status_code == 404
    anonymous = Client().get(_url(petition, attachment))
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    assert not AuditEvent.objects.filter(action="petition.attachment_view").exists()

"""The protected download of a petition's attachments, for staff.

Files live outside the web root (`STORAGES["protected"]`); this view is
their only way out. A document is served only to a signed-in user for whom
`confidentiality.attachments_for_viewer` lists it; anyone else gets the
same 404 as for a file that does not exist, so that the answer does not tell
which petitions have documents. Opening a document of a protected
denunciation is recorded (Luật Tố cáo 2018 Art. 47(1)(a)).
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from danvan.core.audit import audit_record
from danvan.core.models import AuditEvent
from danvan.petitions import confidentiality
from danvan.petitions.models import Petition

#: The audit action of an opened attachment of a protected petition.
ATTACHMENT_VIEW_ACTION = "petition.attachment_view"


@require_GET
@never_cache
@login_required
def petition_attachment(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """Send one attachment of petition `code` as a download, if the user may open it."""
    petition = (
        Petition.objects.select_related("organization").filter(code=code.strip().upper()).first()
    )
    if petition is None:
        raise Http404
    attachment = (
        confidentiality.attachments_for_viewer(request.user, petition).filter(pk=pk).first()
    )
    if attachment is None:
        raise Http404
    if confidentiality.is_protected(petition):
        audit_record(
            actor=request.user,
            action=ATTACHMENT_VIEW_ACTION,
            target=petition,
            kind=AuditEvent.Kind.VIEW,
            data={
                "code": petition.code,
                "attachment_id": attachment.pk,
                "reveals_identity": attachment.reveals_identity,
            },
        )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

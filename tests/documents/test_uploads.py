"""Uploading a document to a child's record, and downloading it: what is refused (and then
nothing is stored), who may download (and that each download is audited), and erasure."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import PASSWORD, _user, date_fields
from tests.documents.helpers import (
    EXE,
    PDF,
    docx_bytes,
    errors,
    png_bytes,
    stored_files,
    zip_without_document,
)
from yjs.audit.models import AuditEvent
from yjs.casework import services as casework
from yjs.documents import services
from yjs.documents.models import Attachment
from yjs.organisation.models import Role, Service

D = datetime.date
ON = D(2026, 11, 2)


def _post(client, child, name, data, **extra):
    return client.post(
        f"/children/{child.pk}/documents/new/",
        {
            "file": SimpleUploadedFile(name, data, content_type="application/octet-stream"),
            "kind": "COURT_ORDER",
            "description": "Referral order, Northshire Youth Court",
            **date_fields("document_date", ON),
            **extra,
        },
    )


def test_a_court_order_is_uploaded_to_the_private_storage(client, jay, people, storage_root):
    client.login(username="alice", password=PASSWORD)
    response = _post(client, jay, "../../Court Order <final>.pdf", PDF)
    assert response.status_code == 302 and response.url == jay.get_absolute_url()

    doc = Attachment.objects.get(child=jay)
    assert doc.original_name == "Court Order _final.pdf"  # no folders, no markup
    assert (doc.kind, doc.size, doc.content_type) == ("COURT_ORDER", len(PDF), "application/pdf")
    assert doc.uploaded_by == people["alice"] and doc.source == "UPLOADED"
    [path] = stored_files(storage_root)
    assert path.read_bytes() == PDF
    assert "Court" not in str(path) and "Smith" not in str(path)  # a name that says nothing
    assert len(path.stem) == 32
    assert AuditEvent.objects.filter(
        action="CREATE", child=jay, object_type="document", object_id=str(doc.pk)
    ).exists()
    page = client.get(jay.get_absolute_url()).content.decode()
    assert "Documents" in page and "Referral order, Northshire Youth Court" in page
    assert f"/children/{jay.pk}/documents/{doc.pk}/download/" in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "order.pdf",
            EXE,
            "The selected file is not a PDF: its content does not match its name ending .pdf "
            "(it looks like a Windows program)",
        ),
        (
            "report.docx",
            PDF,
            "The selected file is not a Word document: its content does not match its name "
            "ending .docx (it looks like a PDF)",
        ),
        (
            "letter.docx",
            b"Dear Jay, this is plain text and not a zip at all",
            "The selected file is not a Word document: its content does not match its name "
            "ending .docx",
        ),
        (
            "consent.docx",
            zip_without_document(),
            "The selected file is not a Word document (.docx): it has no document inside",
        ),
        (
            "photo.png",
            PDF,
            "The selected file is not a PNG image: its content does not match "
            "its name ending .png (it looks like a PDF)",
        ),
        (
            "program.exe",
            EXE,
            "The selected file must be a PDF, a Word document (.docx), or a PNG or JPEG image",
        ),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
)
def test_refused_files_are_named_and_nothing_is_stored(
    client, jay, storage_root, name, data, message
):
    client.login(username="alice", password=PASSWORD)
    response = _post(client, jay, name, data)
    assert response.status_code == 200
    assert message in errors(response)
    assert stored_files(storage_root) == []
    assert not Attachment.all_objects.exists()


def test_too_large_a_file_is_refused_before_it_is_read(client, jay, storage_root):
    client.login(username="alice", password=PASSWORD)
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = _post(client, jay, "bundle.pdf", big)
    assert errors(response) == ["The selected file must be smaller than 10 MB (it is 10.0 MB)"]
    assert stored_files(storage_root) == []


def test_the_size_limit_is_a_setting_the_service_also_checks(jay, people, settings, storage_root):
    settings.DOCUMENTS_MAX_BYTES = 2048
    with pytest.raises(ValidationError) as refused:
        services.upload_document(
            people["alice"],
            jay,
            kind="REPORT",
            document_date=ON,
            description="School report",
            name="report.pdf",
            data=PDF + b"0" * 3000,
        )
    assert refused.value.message_dict == {
        "file": ["The selected file must be smaller than 2 KB (it is 3 KB)"]
    }
    assert stored_files(storage_root) == []


def test_word_documents_and_images_are_accepted(jay, people, storage_root):
    for name, data, kind in (
        ("plan.docx", docx_bytes("Plan"), "docx"),
        ("me.png", png_bytes(), "png"),
    ):
        doc = services.upload_document(
            people["alice"],
            jay,
            kind="OTHER",
            document_date=ON,
            description=f"A {kind}",
            name=name,
            data=data,
        )
        assert doc.original_name == name
    assert len(stored_files(storage_root)) == 2


def test_a_future_date_or_a_closed_case_stores_nothing(jay, people, storage_root):
    with pytest.raises(ValidationError) as refused:
        services.upload_document(
            people["alice"],
            jay,
            kind="REPORT",
            document_date=D(2099, 1, 1),
            description="From the future",
            name="report.pdf",
            data=PDF,
        )
    assert "document_date" in refused.value.message_dict
    jay.closed_on = D(2026, 11, 20)
    jay.save()
    with pytest.raises(ValidationError, match="Reopen it"):
        services.upload_document(
            people["alice"],
            jay,
            kind="REPORT",
            document_date=ON,
            description="After closure",
            name="report.pdf",
            data=PDF,
        )
    assert stored_files(storage_root) == []


# --------------------------------------------------------------------------- downloads


@pytest.fixture
def order(jay, people, storage_root):
    return services.upload_document(
        people["alice"],
        jay,
        kind="COURT_ORDER",
        document_date=ON,
        description="Referral order",
        name="Referral order.pdf",
        data=PDF,
    )


def _download(client, doc, child=None):
    return client.get(f"/children/{(child or doc.child).pk}/documents/{doc.pk}/download/")


def test_download_is_a_private_attachment_and_audited(client, order, jay):
    client.login(username="alice", password=PASSWORD)
    response = _download(client, order)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Referral order.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="EXPORT", object_type="document")
    assert (event.child, event.actor_username, event.object_id) == (jay, "alice", str(order.pk))
    assert event.description == f"Downloaded Court order (2 Nov 2026) (document {order.pk})"


@pytest.fixture
def sam(db):
    """sam heads a second service, Southmoor."""
    southmoor = Service.objects.create(name="Southmoor Youth Justice Service", code="southmoor")
    return _user(southmoor, "sam", Role.HEAD_OF_SERVICE)


@pytest.mark.parametrize("username", ["bob", "ana", "bea", "sam"])
def test_download_refused_outside_the_childs_reach(client, order, sam, username):
    """The wrong team's practitioner, the analyst, the board member and another service's
    head: refused, and nothing leaves or is audited as a download."""
    client.login(username=username, password=PASSWORD)
    response = _download(client, order)
    assert response.status_code in (403, 404)
    assert not hasattr(response, "streaming_content")
    assert not AuditEvent.objects.filter(action="EXPORT").exists()


def test_a_document_is_only_found_under_its_own_child(client, order, kim):
    client.login(username="mo", password=PASSWORD)  # mo may see both children
    assert _download(client, order, child=kim).status_code == 404
    assert _download(client, order).status_code == 200


def test_a_voided_document_keeps_its_file_for_managers_only(client, order, people, storage_root):
    casework.void_record(people["alice"], order, "Another child's order, uploaded in error")
    assert len(stored_files(storage_root)) == 1  # kept for the audit
    client.login(username="alice", password=PASSWORD)
    assert _download(client, order).status_code == 404
    client.login(username="mo", password=PASSWORD)
    assert _download(client, order).status_code == 200


def test_the_record_page_changes_the_details_and_links_the_download(client, order, jay):
    client.login(username="alice", password=PASSWORD)
    url = f"/children/{jay.pk}/records/document/{order.pk}/"
    page = client.get(url).content.decode()
    assert "Download the document" in page and "Referral order.pdf" in page


def test_erasure_deletes_the_files(
    order, jay, people, storage_root, django_capture_on_commit_callbacks
):
    from yjs.casework import erasure

    services.upload_document(
        people["alice"],
        jay,
        kind="OTHER",
        document_date=ON,
        description="Photo",
        name="photo.png",
        data=png_bytes(),
    )
    casework.void_record(people["alice"], order, "Wrong file")  # voided files go too
    assert len(stored_files(storage_root)) == 2
    jay.closed_on = D(2026, 11, 20)
    jay.save()
    with django_capture_on_commit_callbacks(execute=True):
        summary = erasure.erase_child(people["hana"], jay, "Retention period ended")
    assert summary["records"]["attachment"] == 2
    assert stored_files(storage_root) == []


def test_a_documents_folder_a_url_serves_is_refused_at_start(settings, tmp_path):
    from yjs.documents.checks import documents_are_private

    assert documents_are_private() == []
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "documents")},
        },
    }
    [error] = documents_are_private()
    assert error.id == "documents.E002" and "YJS_DOCUMENTS_DIR" in error.msg

"""Contract documents and their versions: the service rules, the search over their text, the
comparison of two versions, the documents tab, the API and who may do what."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document as WordDocument

from steward.contracts import services
from steward.contracts.choices import ContractKind
from steward.contracts.models import Contract, ContractDocument, DocumentVersion
from steward.contracts.selectors_documents import changed_line_count, versions_compare
from steward.contracts.services.documents import TEXT_LIMIT
from steward.core.errors import DomainError
from steward.core.testing import api_client, api_errors, web_client
from steward.parties.tests.cast import Cast

pytestmark = pytest.mark.django_db

DOCUMENTS = "/api/v1/contract-documents/"
VERSIONS = "/api/v1/document-versions/"


# --- files made here -----------------------------------------------------------------------------


def pdf_bytes(*lines: str) -> bytes:
    """A small, valid one-page PDF showing ``lines`` in Helvetica (offsets computed here)."""
    text = " ".join(f"({line}) Tj T*" for line in lines)
    stream = f"BT /F1 12 Tf 14 TL 72 720 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
        ),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    word = WordDocument()
    for paragraph in paragraphs:
        word.add_paragraph(paragraph)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def pdf(name: str = "draft.pdf", *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(*(lines or ("Master agreement",))))


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def contract(cast: Cast) -> Contract:
    return services.contract_create(
        actor=cast.owner, relationship=cast.rel_a, title="Castings supply", kind=ContractKind.MASTER
    )


@pytest.fixture
def other_contract(cast: Cast) -> Contract:
    """A contract on B's relationship, which only ``outsider`` (and admin, auditor) may see."""
    return services.contract_create(
        actor=cast.outsider, relationship=cast.rel_b, title="Borealis freight", kind="master"
    )


def upload(actor: Any, contract: Contract, content: bytes, name: str = "msa.pdf") -> Any:
    return services.document_upload(
        actor=actor, contract=contract, upload=SimpleUploadedFile(name, content), title="MSA"
    )


def refusal(error: pytest.ExceptionInfo[DomainError]) -> tuple[str | None, str]:
    return error.value.field, error.value.code


# --- the service ---------------------------------------------------------------------------------


def test_a_new_version_keeps_the_earlier_one_and_its_checksum(cast: Cast, contract: Contract):
    # given a document uploaded as version 1
    first, second = pdf_bytes("First draft"), pdf_bytes("Second draft")
    document = upload(cast.member, contract, first)
    # when a changed file is added as a version
    version = services.document_version_add(
        actor=cast.owner,
        document=document,
        upload=SimpleUploadedFile("msa-v2.pdf", second),
        note="Liability capped",
    )
    # then both versions are kept, numbered, with their own checksums and files
    v1, v2 = document.versions.order_by("number")
    assert (v1.number, v2.number) == (1, 2)
    assert version == v2
    assert v1.sha256 == hashlib.sha256(first).hexdigest()
    assert v2.sha256 == hashlib.sha256(second).hexdigest()
    assert (v1.original_name, v2.original_name) == ("msa.pdf", "msa-v2.pdf")
    assert (v1.uploaded_by, v2.uploaded_by) == (cast.member, cast.owner)
    assert v1.file.name != v2.file.name
    assert v1.size == len(first)
    assert v1.content_type == "application/pdf"
    with v1.file.open("rb") as stored:
        assert stored.read() == first
    assert "First draft" in v1.text
    assert "Second draft" in v2.text
    assert v2.note == "Liability capped"
    assert document.title == "MSA"
    assert document.created_by == cast.member


def test_an_identical_upload_is_refused(cast: Cast, contract: Contract) -> None:
    # given a document with one version
    content = pdf_bytes("Same")
    document = upload(cast.member, contract, content)
    # when the same file is uploaded again under another name
    with pytest.raises(DomainError) as error:
        services.document_version_add(
            actor=cast.member, document=document, upload=SimpleUploadedFile("copy.pdf", content)
        )
    # then it is refused on the file, and nothing is added
    assert refusal(error) == ("file", "duplicate_version")
    assert "identical to version 1" in error.value.message
    assert document.versions.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "file_type"),
        ("notes.txt", b"plain words", "file_type"),
        ("fake.pdf", b"this is only text pretending to be a PDF", "file_content"),
        ("fake.docx", b"%PDF-1.4 a PDF named as Word", "file_content"),
        ("empty.pdf", b"", "file_empty"),
    ],
)
def test_files_that_are_not_pdf_or_word_are_refused(
    cast: Cast, contract: Contract, name: str, content: bytes, code: str
) -> None:
    # when a file of another type, or one whose content is not what its name says, arrives
    with pytest.raises(DomainError) as error:
        services.document_upload(
            actor=cast.member, contract=contract, upload=SimpleUploadedFile(name, content)
        )
    # then it is refused on the file, and nothing is written
    assert refusal(error) == ("file", code)
    assert not ContractDocument.objects.exists()
    assert not DocumentVersion.objects.exists()


def test_an_oversized_file_is_refused(cast: Cast, contract: Contract, settings: Any) -> None:
    # given a limit smaller than the file
    settings.STEWARD_UPLOAD_MAX_BYTES = 100
    # when it is uploaded
    with pytest.raises(DomainError) as error:
        upload(cast.member, contract, pdf_bytes("A long contract"))
    # then it is refused on the file
    assert refusal(error) == ("file", "file_too_large")
    assert not ContractDocument.objects.exists()


def test_an_archived_contract_takes_no_uploads(cast: Cast, contract: Contract) -> None:
    # given a document on a contract that is then archived
    document = upload(cast.member, contract, pdf_bytes("v1"))
    Contract.objects.filter(pk=contract.pk).update(archived_at=timezone.now())
    contract.refresh_from_db()
    # when a new document or a new version is uploaded
    with pytest.raises(DomainError) as new_document:
        upload(cast.member, contract, pdf_bytes("v2"))
    with pytest.raises(DomainError) as new_version:
        services.document_version_add(
            actor=cast.member, document=document, upload=pdf("v2.pdf", "v2")
        )
    # then both are refused
    assert refusal(new_document) == ("file", "archived")
    assert refusal(new_version) == ("file", "archived")
    assert DocumentVersion.objects.count() == 1


def test_a_file_whose_text_cannot_be_read_is_kept_without_text(
    cast: Cast, contract: Contract
) -> None:
    # given a file that looks like a PDF but is damaged
    damaged = b"%PDF-1.4\n" + b"\x00\x01 garbage " * 50
    # when it is uploaded
    document = upload(cast.member, contract, damaged)
    # then it is kept, with no text
    version = document.versions.get()
    assert version.text == ""
    assert version.sha256 == hashlib.sha256(damaged).hexdigest()


def test_a_word_files_text_is_extracted_and_capped(cast: Cast, contract: Contract) -> None:
    # given a Word file with a very long text
    content = docx_bytes("Payment within 30 days", "x" * (TEXT_LIMIT + 500))
    # when it is uploaded
    document = upload(cast.member, contract, content, name="terms.docx")
    # then its text is kept for search, cut at the limit
    version = document.versions.get()
    assert version.text.startswith("Payment within 30 days")
    assert len(version.text) == TEXT_LIMIT
    assert version.content_type.endswith("wordprocessingml.document")


def test_only_those_who_may_change_the_contract_upload(cast: Cast, contract: Contract) -> None:
    # given a reader of the contract (a reviewing team member) and an outsider
    document = upload(cast.member, contract, pdf_bytes("v1"))
    for user in (cast.reviewer, cast.outsider, cast.auditor):
        # when they upload, then they are refused
        with pytest.raises(PermissionDenied):
            upload(user, contract, pdf_bytes("theirs"))
        with pytest.raises(PermissionDenied):
            services.document_version_add(
                actor=user, document=document, upload=pdf("x.pdf", user.username)
            )
    assert DocumentVersion.objects.count() == 1


# --- comparing two versions ----------------------------------------------------------------------


def test_two_versions_compare_field_by_field(cast: Cast, contract: Contract) -> None:
    # given two versions whose files differ in one line of text
    document = upload(cast.member, contract, pdf_bytes("Term 12 months", "Price 100"))
    services.document_version_add(
        actor=cast.owner,
        document=document,
        upload=SimpleUploadedFile("msa-v2.pdf", pdf_bytes("Term 12 months", "Price 90")),
        note="Price down",
    )
    v1, v2 = document.versions.order_by("number")
    # when they are compared
    rows = {row.field: row for row in versions_compare(a=v1, b=v2)}
    # then each field says whether it changed
    assert list(rows) == [
        "document",
        "number",
        "original_name",
        "size",
        "content_type",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "note",
        "text",
    ]
    assert not rows["document"].changed
    assert rows["number"].changed
    assert (rows["number"].a, rows["number"].b) == ("1", "2")
    assert rows["original_name"].changed
    assert not rows["content_type"].changed
    assert rows["sha256"].changed
    assert rows["uploaded_by"].changed
    assert (rows["note"].a, rows["note"].b) == ("", "Price down")
    assert rows["text"].changed
    assert "2 lines changed" in rows["text"].b  # one line out, one line in
    # and a version compared with itself changes nothing
    assert not any(row.changed for row in versions_compare(a=v1, b=v1))


def test_changed_lines_are_counted() -> None:
    assert changed_line_count("a\nb\nc", "a\nB\nc\nd") == 3
    assert changed_line_count("same", "same") == 0


# --- search --------------------------------------------------------------------------------------


def test_the_contract_list_finds_a_contract_by_a_word_in_its_documents(
    cast: Cast, contract: Contract
) -> None:
    # given a contract whose PDF mentions a word found nowhere else, another whose Word file
    # mentions another, and a third with neither
    services.contract_create(
        actor=cast.owner, relationship=cast.rel_a, title="Plain services", kind="master"
    )
    upload(cast.member, contract, pdf_bytes("Governed by the laws of Zanzibar"))
    services.document_version_add(
        actor=cast.member,
        document=contract.documents.get(),
        upload=pdf("v2.pdf", "Zanzibar courts have jurisdiction"),
    )
    nda = services.contract_create(
        actor=cast.owner, relationship=cast.rel_a, title="Mutual NDA", kind="nda"
    )
    upload(cast.member, nda, docx_bytes("Quarterly stocktake at Kalmar"), name="nda.docx")
    client = web_client(cast.owner)

    def found(query: str) -> list[str]:
        response = client.get("/contracts/", {"q": query})
        rows = response.context["rows"]
        return sorted(row.title for row in rows)

    # when the list is searched for those words, then each finds its contract, once
    assert found("zanzibar") == ["Castings supply"]
    assert found("Kalmar") == ["Mutual NDA"]
    assert found("Zanzibar jurisdiction") == ["Castings supply"]
    # and the title, reference and counterparty still find contracts as before
    assert found("Plain") == ["Plain services"]
    assert found("Aurora") == ["Castings supply", "Mutual NDA", "Plain services"]
    assert found("Zanzibar Kalmar") == []
    # and the API's contract list searches the same way
    api = api_client(cast.owner)
    listed = api.get("/api/v1/contracts/", {"q": "zanzibar"}).json()["results"]
    assert [row["title"] for row in listed] == ["Castings supply"]


def test_search_does_not_reach_documents_of_contracts_one_may_not_see(
    cast: Cast, other_contract: Contract
) -> None:
    upload(cast.outsider, other_contract, pdf_bytes("Secret Zanzibar clause"))
    response = web_client(cast.owner).get("/contracts/", {"q": "zanzibar"})
    assert list(response.context["rows"]) == []


# --- the documents tab ---------------------------------------------------------------------------


def tab(contract: Contract) -> str:
    return f"/contracts/{contract.pk}/?tab=documents"


def test_the_tab_shows_documents_with_their_versions_newest_first(
    cast: Cast, contract: Contract
) -> None:
    # given a document with two versions
    document = upload(cast.member, contract, pdf_bytes("v1"))
    services.document_version_add(actor=cast.member, document=document, upload=pdf("v2.pdf", "2"))
    # when an editor and a reader open the tab
    html = web_client(cast.member).get(tab(contract)).content.decode()
    read_only = web_client(cast.reviewer).get(tab(contract)).content.decode()
    # then both see the versions, newest first, with download links; only the editor can upload
    assert html.index("v2.pdf") < html.index("msa.pdf")
    v1, v2 = document.versions.order_by("number")
    for version in (v1, v2):
        assert f"/document-versions/{version.pk}/download/" in html
        assert f"/document-versions/{version.pk}/download/" in read_only
    assert "Upload a new document" in html
    assert "Add a version" in html
    assert "Compare two versions" in html
    assert "Upload a new document" not in read_only
    assert "Add a version" not in read_only


def test_an_empty_tab_offers_the_upload(cast: Cast, contract: Contract) -> None:
    html = web_client(cast.member).get(tab(contract)).content.decode()
    assert "No documents yet." in html
    assert 'enctype="multipart/form-data"' in html


def test_a_document_is_uploaded_and_a_version_added_from_the_page(
    cast: Cast, contract: Contract
) -> None:
    client = web_client(cast.member)
    # when a new document is uploaded through the page
    response = client.post(
        f"/contracts/{contract.pk}/documents/new/",
        {"title": "Signed MSA", "kind": "signed", "note": "", "file": pdf("signed.pdf", "Signed")},
    )
    # then the contract page's documents tab follows with the document on it
    assert response.status_code == 302
    assert response["Location"] == tab(contract)
    document = contract.documents.get()
    assert (document.title, document.kind) == ("Signed MSA", "signed")
    # when a version is added through the page
    response = client.post(
        f"/contract-documents/{document.pk}/versions/new/",
        {"note": "Counter-signed", "file": pdf("signed-2.pdf", "Counter-signed")},
    )
    assert response.status_code == 302
    assert [v.number for v in document.versions.all()] == [2, 1]


def test_a_refused_upload_names_the_file_and_writes_nothing(cast: Cast, contract: Contract) -> None:
    client = web_client(cast.member)
    # when a text file posing as a PDF is uploaded through the page
    response = client.post(
        f"/contracts/{contract.pk}/documents/new/",
        {"kind": "draft", "file": SimpleUploadedFile("fake.pdf", b"just text")},
    )
    # then the tab comes back with the message on the file field, and nothing is written
    assert response.status_code == 200
    form = response.context["upload_form"]
    assert "does not contain what its .pdf name says" in form.errors["file"][0]
    assert 'id="id_file_error"' in response.content.decode()
    assert not ContractDocument.objects.exists()
    # and a duplicate version is refused on that document's form
    document = upload(cast.member, contract, pdf_bytes("v1"))
    response = client.post(
        f"/contract-documents/{document.pk}/versions/new/",
        {"file": SimpleUploadedFile("again.pdf", pdf_bytes("v1"))},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "identical to version 1" in html
    assert f'id="id_doc{document.pk}_file_error"' in html
    assert document.versions.count() == 1


def test_the_compare_form_shows_the_comparison(cast: Cast, contract: Contract) -> None:
    document = upload(cast.member, contract, pdf_bytes("Price 100"))
    services.document_version_add(
        actor=cast.member, document=document, upload=pdf("v2.pdf", "Price 90")
    )
    v1, v2 = document.versions.order_by("number")
    client = web_client(cast.reviewer)
    # when a reader compares the two versions
    response = client.get(
        f"/contracts/{contract.pk}/", {"tab": "documents", "a": v1.pk, "b": v2.pk}
    )
    # then the comparison table shows what changed
    html = response.content.decode()
    assert 'id="comparison"' in html
    assert "Checksum (SHA-256)" in html
    assert v2.sha256 in html
    # when the same version is picked twice, the form says so
    response = client.get(
        f"/contracts/{contract.pk}/", {"tab": "documents", "a": v1.pk, "b": v1.pk}
    )
    assert "Pick two different versions." in response.content.decode()
    assert 'id="comparison"' not in response.content.decode()


def test_a_download_sends_the_file_under_its_original_name(cast: Cast, contract: Contract) -> None:
    content = pdf_bytes("Signed")
    version = upload(cast.member, contract, content, name="Signed MSA (final).pdf").versions.get()
    response = web_client(cast.reviewer).get(f"/document-versions/{version.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "Signed MSA (final).pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_outsiders_see_nothing_and_readers_cannot_upload(
    cast: Cast, contract: Contract, other_contract: Contract
) -> None:
    document = upload(cast.member, contract, pdf_bytes("Ours"))
    version = document.versions.get()
    theirs = upload(cast.outsider, other_contract, pdf_bytes("Theirs")).versions.get()
    outsider, reviewer = web_client(cast.outsider), web_client(cast.reviewer)
    # an outsider gets 404 for our contract's file, tab, upload and version form
    assert outsider.get(f"/document-versions/{version.pk}/download/").status_code == 404
    assert outsider.get(tab(contract)).status_code == 404
    new = {"kind": "draft", "file": pdf("x.pdf", "x")}
    assert outsider.post(f"/contracts/{contract.pk}/documents/new/", new).status_code == 404
    add = {"file": pdf("y.pdf", "y")}
    assert outsider.post(f"/contract-documents/{document.pk}/versions/new/", add).status_code == 404
    # a reader downloads ours but not someone else's, and may not upload
    assert reviewer.get(f"/document-versions/{theirs.pk}/download/").status_code == 404
    new = {"kind": "draft", "file": pdf("x.pdf", "x")}
    assert reviewer.post(f"/contracts/{contract.pk}/documents/new/", new).status_code == 403
    add = {"file": pdf("y.pdf", "y")}
    assert reviewer.post(f"/contract-documents/{document.pk}/versions/new/", add).status_code == 403
    assert DocumentVersion.objects.count() == 2


def test_the_list_page_runs_a_fixed_number_of_queries(
    cast: Cast, contract: Contract, django_assert_max_num_queries: Any
) -> None:
    for number in range(3):
        upload(cast.member, contract, pdf_bytes(f"Zanzibar {number}"), name=f"{number}.pdf")
    client = web_client(cast.owner)
    client.get("/contracts/", {"q": "zanzibar"})  # warm the principal and session
    with django_assert_max_num_queries(12):
        response = client.get("/contracts/", {"q": "zanzibar"})
    assert len(response.context["rows"]) == 1


# --- the API -------------------------------------------------------------------------------------


def test_the_api_uploads_lists_and_adds_versions(cast: Cast, contract: Contract) -> None:
    api = api_client(cast.member)
    # when a document is uploaded as multipart
    created = api.post(
        DOCUMENTS,
        {"contract": contract.pk, "title": "MSA", "kind": "draft", "file": pdf("msa.pdf", "v1")},
        format="multipart",
    )
    # then it answers 201 with its version 1
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["title"], body["kind"], body["contract"]) == ("MSA", "draft", contract.pk)
    assert [v["number"] for v in body["versions"]] == [1]
    document_pk = body["id"]
    # when a version is added, it is number 2
    added = api.post(
        VERSIONS,
        {"document": document_pk, "note": "Redlined", "file": pdf("msa-2.pdf", "v2")},
        format="multipart",
    )
    assert added.status_code == 201, added.content
    assert (added.json()["number"], added.json()["note"]) == (2, "Redlined")
    assert added.json()["text_length"] > 0
    # and the lists show them, filtered by contract and by document
    listed = api.get(DOCUMENTS, {"contract": contract.pk}).json()["results"]
    assert [[v["number"] for v in row["versions"]] for row in listed] == [[2, 1]]
    versions = api.get(VERSIONS, {"document": document_pk}).json()["results"]
    assert [v["number"] for v in versions] == [2, 1]
    assert api.get(VERSIONS, {"contract": contract.pk + 1000}).json()["results"] == []
    # and the file comes back from the download action
    download = api.get(versions[1]["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_api_refuses_bad_files_with_codes(cast: Cast, contract: Contract) -> None:
    api = api_client(cast.member)
    wrong = api.post(
        DOCUMENTS,
        {"contract": contract.pk, "file": SimpleUploadedFile("tool.exe", b"MZ\x90\x00")},
        format="multipart",
    )
    assert wrong.status_code == 400
    assert api_errors(wrong) == [("file", "file_type")]
    document = upload(cast.member, contract, pdf_bytes("v1"))
    duplicate = api.post(
        VERSIONS,
        {"document": document.pk, "file": SimpleUploadedFile("again.pdf", pdf_bytes("v1"))},
        format="multipart",
    )
    assert duplicate.status_code == 400
    assert api_errors(duplicate) == [("file", "duplicate_version")]
    missing = api.post(DOCUMENTS, {"contract": contract.pk}, format="multipart")
    assert api_errors(missing) == [("file", "required")]
    assert DocumentVersion.objects.count() == 1


def test_versions_cannot_be_changed_or_deleted_through_the_api(
    cast: Cast, contract: Contract
) -> None:
    api = api_client(cast.admin)
    document = upload(cast.member, contract, pdf_bytes("v1"))
    version = document.versions.get()
    for path in (f"{VERSIONS}{version.pk}/", f"{DOCUMENTS}{document.pk}/"):
        assert api.delete(path).status_code == 405
        assert api.patch(path, {"note": "x"}, format="multipart").status_code == 405
        assert api.put(path, {"note": "x"}, format="multipart").status_code == 405
    assert DocumentVersion.objects.filter(pk=version.pk, note="").exists()


def test_the_api_follows_the_contracts_access(
    cast: Cast, contract: Contract, other_contract: Contract
) -> None:
    document = upload(cast.member, contract, pdf_bytes("Ours"))
    version = document.versions.get()
    outsider, reviewer = api_client(cast.outsider), api_client(cast.reviewer)
    # an outsider gets 404 for our document and version, and does not see them listed
    assert outsider.get(f"{DOCUMENTS}{document.pk}/").status_code == 404
    assert outsider.get(f"{VERSIONS}{version.pk}/").status_code == 404
    assert outsider.get(f"{VERSIONS}{version.pk}/download/").status_code == 404
    assert outsider.get(DOCUMENTS).json()["results"] == []
    # nor can it upload to our contract (which it cannot name)
    refused = outsider.post(
        DOCUMENTS, {"contract": contract.pk, "file": pdf("x.pdf", "x")}, format="multipart"
    )
    assert refused.status_code == 400
    assert api_errors(refused) == [("contract", "does_not_exist")]
    # a reader reads but gets 403 on uploads
    assert reviewer.get(f"{VERSIONS}{version.pk}/").status_code == 200
    new = {"contract": contract.pk, "file": pdf("x.pdf", "x")}
    assert reviewer.post(DOCUMENTS, new, format="multipart").status_code == 403
    add = {"document": document.pk, "file": pdf("y.pdf", "y")}
    assert reviewer.post(VERSIONS, add, format="multipart").status_code == 403
    # an auditor is refused before the body is read
    assert api_client(cast.auditor).post(VERSIONS, add, format="multipart").status_code == 403
    assert DocumentVersion.objects.count() == 1


def test_the_api_lists_run_a_fixed_number_of_queries(
    cast: Cast, contract: Contract, django_assert_max_num_queries: Any
) -> None:
    for number in range(4):
        document = upload(cast.member, contract, pdf_bytes(f"{number}"), name=f"{number}.pdf")
        services.document_version_add(
            actor=cast.member, document=document, upload=pdf("next.pdf", f"next {number}")
        )
    api = api_client(cast.owner)
    api.get(DOCUMENTS)
    with django_assert_max_num_queries(6):
        documents = api.get(DOCUMENTS).json()["results"]
    with django_assert_max_num_queries(6):
        versions = api.get(VERSIONS).json()["results"]
    assert len(documents) == 4
    assert len(versions) == 8

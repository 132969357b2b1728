"""A Word template is code: hana may upload one, it runs in a sandbox, and a hostile one never runs.

The payloads are the class a tester used to run a shell command on the server and print
children's names into a plan: Jinja2 expressions that climb from a value to Python's globals.
"""

from __future__ import annotations

import io
import uuid
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from yjs.audit.models import AuditEvent
from yjs.governance import documents, services, template_builder
from yjs.governance.models import PlanTemplate
from yjs.organisation.models import Role

from ..conftest import _user

UPLOAD = "governance:plan_template"


@pytest.fixture(autouse=True)
def engine(monkeypatch, source):
    """Pages read KPI results through the engine; here, through the constructed rows."""
    monkeypatch.setattr("yjs.governance.selectors.EngineSource", lambda *a, **k: source)


@pytest.fixture
def marker(tmp_path):
    """A file a payload would create if it ran a shell command."""
    path = tmp_path / f"pwned-{uuid.uuid4().hex}"
    yield path
    assert not path.exists(), "a template ran a shell command"


# Names outside the documented context: refused at upload, nothing (empty) at export.
UNKNOWN_NAMES = ["{{ request }}", "{{ config }}", "{{ settings }}", "{{ range }}"]


def payloads(marker) -> list[str]:
    """Expressions that reach for Python internals: refused at upload and at export."""
    touch = f"touch {marker}"
    return [
        f"{{{{ cycler.__init__.__globals__.os.popen('{touch}').read() }}}}",
        f"{{{{ lipsum.__globals__['os'].popen('{touch}').read() }}}}",
        f"{{{{ joiner.__init__.__globals__.__builtins__.__import__('os').system('{touch}') }}}}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{% for c in [].__class__.__base__.__subclasses__() %}{{ c.__name__ }}{% endfor %}",
        "{{ lipsum.__globals__ }}",
        "{{ self.__init__.__globals__ }}",
        "{{ sections|map(attribute='__class__')|list }}",
        "{{ sections[0]['_' ~ '_class_' ~ '_'] }}",
        "{{ '{0.__class__.__init__.__globals__}'.format(title) }}",
        "{% if false %}{{ cycler.__init__.__globals__.os.popen('id').read() }}{% endif %}",
    ]


def word_file(body: str = "", *, header: str = "", title: str = "") -> bytes:
    """A .docx built as a service would, with the text in the body, header or properties."""
    doc = Document()
    doc.add_paragraph("Youth Justice Plan")
    if body:
        doc.add_paragraph(body)
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    if title:
        doc.core_properties.title = title
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload(client, data: bytes, name: str = "branded.docx"):
    return client.post(reverse(UPLOAD), {"file": SimpleUploadedFile(name, data)})


def test_every_payload_is_refused_at_upload(client, people, northshire, marker):
    client.force_login(people["hana"])
    for payload in payloads(marker) + UNKNOWN_NAMES:
        response = upload(client, word_file(payload))
        page = response.content.decode()
        assert response.status_code == 200, payload
        assert "There is a problem" in page and "not allowed" in page, payload
    assert not PlanTemplate.objects.exists()
    assert not AuditEvent.objects.filter(object_type="plan template").exists()


@pytest.mark.parametrize("where", ["header", "title"])
def test_payload_in_a_header_or_the_document_properties_is_refused(northshire, marker, where):
    payload = payloads(marker)[0]
    with pytest.raises(ValidationError, match="not allowed"):
        services.set_template(northshire, "branded.docx", word_file(**{where: payload}))
    assert not PlanTemplate.objects.exists()


def test_a_stored_hostile_template_runs_nothing_on_export(client, plan, people, jay, marker):
    """Stored before the fix (or by hand): every export refuses it with a clear error."""
    version = plan.versions.get()
    client.force_login(people["bea"])
    url = reverse("governance:export", args=[plan.pk, version.number, "docx"])
    for payload in payloads(marker):
        PlanTemplate.objects.update_or_create(
            service=plan.service,
            defaults={"name": "hostile.docx", "content": word_file(payload, header=payload)},
        )
        with pytest.raises(documents.RenderError, match="not allowed|does not contain|undefined"):
            services.export(version, "docx", people["bea"])
        response = client.get(url, follow=True)
        page = response.content.decode()
        assert response.redirect_chain, payload  # back to the plan, no file
        assert "There is a problem" in page and "The Word template" in page, payload
        assert "govuk-notification-banner--success" not in page
        assert jay.first_name + " " + jay.last_name not in page
        assert "2010-05-01" not in page and "1 May 2010" not in page
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_names_outside_the_context_print_nothing_on_export(plan, people, source):
    from .helpers import open_docx

    for name in UNKNOWN_NAMES:
        PlanTemplate.objects.update_or_create(
            service=plan.service, defaults={"name": "t.docx", "content": word_file(f"[{name}]")}
        )
        data, _ = services.export(plan.versions.get(), "docx", people["hana"], source)
        assert [p.text for p in open_docx(data).paragraphs] == ["Youth Justice Plan", "[]"]


def test_images_and_rich_text_are_printed_but_never_looked_into(plan, people, source, marker):
    """A chart image holds the whole document object, whose save() writes files."""
    reach = (
        "{% for p in sections if p.blocks.kpi_charts %}{% for c in p.blocks.kpi_charts.charts %}"
        f"{{{{ c.image.tpl.docx.save('{marker}') }}}}{{% endfor %}}{{% endfor %}}"
    )
    PlanTemplate.objects.create(service=plan.service, name="t.docx", content=word_file(reach))
    with pytest.raises(documents.RenderError, match="'tpl' of 'InlineImage'"):
        services.export(plan.versions.get(), "docx", people["hana"], source)
    PlanTemplate.objects.update(content=word_file("{{ sections[0].narrative_doc.xml }}"))
    with pytest.raises(documents.RenderError, match="'xml' of 'RichTextParagraph'"):
        services.export(plan.versions.get(), "docx", people["hana"], source)


def test_the_sandbox_refuses_huge_output_and_unlisted_filters():
    sandbox = documents.TemplateSandbox()
    with pytest.raises(documents.SecurityError):
        sandbox.from_string("{{ 'x' * 100000000 }}").render()
    with pytest.raises(documents.SecurityError):
        sandbox.from_string("{{ 9 ** 999999 }}").render()
    with pytest.raises(documents.TemplateError, match="No filter named 'center'"):
        sandbox.from_string("{{ 'x'|center(100000000) }}")
    assert sandbox.from_string("{{ t|upper }} {{ n * 2 }}").render(t="plan", n=21) == "PLAN 42"


def test_narrative_text_is_never_evaluated(plan, people, source):
    """Authors' Markdown is data: template syntax in it is printed as typed."""
    from .helpers import open_docx

    version = plan.versions.get()
    typed = "Our rate {{ 7 * 7 }} {% if true %}yes{% endif %} {{ config.items() }}"
    services.save_section(version, "voice", typed, people["hana"])
    data, _ = services.export(version, "docx", people["hana"], source)
    text = "\n".join(p.text for p in open_docx(data).paragraphs)
    assert typed in text and "Our rate 49" not in text


def test_the_default_template_is_accepted_and_audited_with_its_hash(client, people, northshire):
    data = template_builder.plan_template()
    client.force_login(people["hana"])
    response = upload(client, data, "northshire-plan.docx")
    assert response.status_code == 302
    stored = PlanTemplate.objects.get(service=northshire)
    digest = documents.sha256(data)
    assert stored.sha256 == digest and bytes(stored.content) == data
    event = AuditEvent.objects.get(object_type="plan template")
    assert event.actor == people["hana"]
    assert event.changes["sha256"] == [None, digest]
    assert event.changes["name"] == [None, "northshire-plan.docx"]
    assert digest in event.description


def test_only_the_head_of_service_or_an_admin_may_upload(client, people, northshire):
    data = template_builder.plan_template()
    for name in ("ana", "mo", "alice", "bea"):
        client.force_login(people[name])
        # and the plans page does not offer them a link that would answer 403
        assert reverse(UPLOAD) not in client.get("/governance/").content.decode(), name
        assert client.get(reverse(UPLOAD)).status_code == 403, name
        assert upload(client, data).status_code == 403, name
    assert not PlanTemplate.objects.exists()
    client.force_login(people["hana"])
    assert reverse(UPLOAD) in client.get("/governance/").content.decode()
    assert client.get(reverse(UPLOAD)).status_code == 200
    client.force_login(_user(northshire, "ada", Role.ADMIN, first="Ada", last="Admin"))
    assert upload(client, data).status_code == 302
    assert PlanTemplate.objects.get().sha256 == documents.sha256(data)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


def test_uploads_that_are_not_small_sound_word_files_are_refused(client, people):
    client.force_login(people["hana"])
    bomb = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"\0" * (30 * 2**20)})
    crowd = _zip({f"word/media/{i}.xml": b"" for i in range(600)})
    cases = [
        ("plan.docx", b"not a zip at all", "is not a Word document (.docx)"),
        ("plan.docx", _zip({"readme.txt": b"hello"}), "is not a Word document (.docx)"),
        ("plan.docx", bomb, "unpacks to more than 20 MB"),
        ("plan.docx", crowd, "has more than 500 parts"),
        ("plan.docx", b"0" * (5 * 2**20 + 1), "must be smaller than 5 MB"),
        ("plan.txt", word_file(), "must be a Word document (.docx)"),
    ]
    for name, data, message in cases:
        page = upload(client, data, name).content.decode()
        assert "There is a problem" in page and message in page, message
    assert len(bomb) < 5 * 2**20  # small on the wire, huge unpacked
    assert not PlanTemplate.objects.exists()


def test_the_command_line_refuses_a_hostile_template_in_one_line(northshire, marker, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "hostile.docx"
    path.write_bytes(word_file(payloads(marker)[0]))
    with pytest.raises(CommandError, match=r"hostile\.docx was not accepted\. .*not allowed") as e:
        call_command("plan", "template", "--upload", str(path), "--service", "northshire")
    assert "\n" not in str(e.value)
    assert not PlanTemplate.objects.exists()

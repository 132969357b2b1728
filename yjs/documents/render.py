"""Filling a letter's Word template: docxtpl in the governance sandbox (`TemplateSandbox`), so a
template a service uploaded sees the letter's plain data and nothing beyond it.

On top of the plan's sandbox, a letter's template may use only the fields its kind documents
(`letters`): an unknown one (`{{ child.shoe_size }}`) is refused by name when the template is
uploaded, not printed as nothing in a letter a child receives.
"""

from __future__ import annotations

import datetime
import io

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError

from yjs.governance.documents import (
    RenderError,
    TemplateSandbox,
    check_docx,
    check_plain,
    normalise_docx,
)


class UnknownField(SecurityError):
    pass


class LetterSandbox(TemplateSandbox):
    """The plan's sandbox, strict: every name and field must be in the letter's data."""

    DATA_NAME = "the letter's data"

    def __init__(self, context: dict):
        super().__init__(set(context))
        self.undefined = StrictUndefined
        self.context_shape = context

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        unknown = unknown_fields(tree, self.context_shape)
        if unknown:
            raise UnknownField(f"{', '.join(unknown)}, which {self.DATA_NAME} does not contain")
        return tree


def unknown_fields(tree, context: dict) -> list[str]:
    """Fields like `child.shoe_size` that a template reads from the data and it lacks. Names a
    loop binds (`o.description`) are checked when the sample is rendered, by StrictUndefined."""
    unknown = set()
    for node in tree.find_all(nodes.Getattr):
        path = []
        root = node
        while isinstance(root, nodes.Getattr):
            path.append(root.attr)
            root = root.node
        if not isinstance(root, nodes.Name) or root.name not in context:
            continue
        value, walked = context[root.name], [root.name]
        for attr in reversed(path):
            if not isinstance(value, dict):
                break
            walked.append(attr)
            if attr not in value:
                unknown.add(".".join(walked))
                break
            value = value[attr]
    return sorted(unknown)


def render_letter(template_bytes: bytes, context: dict, *, title: str, when: datetime.datetime):
    """The filled Word file, or RenderError saying what is wrong: never half a letter."""
    check_docx(template_bytes)
    check_plain(context)
    try:
        tpl = DocxTemplate(io.BytesIO(template_bytes))
        tpl.render_init()
    except Exception as exc:
        raise RenderError(f"The Word template could not be read: {exc}") from exc
    try:
        tpl.render(context, jinja_env=LetterSandbox(context))
    except SecurityError as exc:
        raise RenderError(f"The template uses {exc}") from exc
    except UndefinedError as exc:
        raise RenderError(
            f"The template uses a field {LetterSandbox.DATA_NAME} does not contain: {exc.message}"
        ) from exc
    except Exception as exc:  # a service's own template may have broken tags
        message = exc.message if isinstance(exc, TemplateError) else exc
        raise RenderError(f"The Word template could not be filled in: {message}") from exc
    props = tpl.docx.core_properties
    props.created = props.modified = when
    props.last_modified_by = props.author = "Youth justice service platform"
    props.revision = 1
    props.title = title
    out = io.BytesIO()
    tpl.save(out)
    return normalise_docx(out.getvalue())

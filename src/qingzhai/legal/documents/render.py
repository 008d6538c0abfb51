"""Templates to files: each kind's Django template produces a small HTML subset, which WeasyPrint lays
out as a PDF (embedding the subset of the Noto CJK fonts it uses) and which is walked into a DOCX with
python-docx (East-Asian font names set, so Word shows the same faces).

The HTML subset: h1 (the title), h2, p (classes: indent — first line indented two characters, right,
center, signature — right-aligned with space above), strong/b, u, br, table/tr/th/td (class num:
right-aligned), div (transparent). Anything else is read as plain text.

Templates live in legal/templates/legal/documents/<kind>.html (with _base.html around them). When
QINGZHAI_LEGAL_TEMPLATES_DIR is set, a file of the same name there replaces the built-in one, file by
file, so the legal team edits copies without touching the code.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template import Context, Engine

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "templates" / "legal" / "documents"
BUILTIN_PREFIX = "legal/documents/"
ENV_DIR = "QINGZHAI_LEGAL_TEMPLATES_DIR"
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
_NEWLINES = re.compile(r"\s*\n\s*")  # template line breaks: nothing (Chinese has no spaces between words)
_SPACES = re.compile(r"[ \t\r\f\v]+")
FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Rendered:
    data: bytes
    media_type: str
    template: str  # legal/documents/<kind>.html, or the path of the override file
    template_sha256: str
    html: str


def template_dirs() -> list[Path]:
    override = os.environ.get(ENV_DIR, "").strip()
    return [Path(override), BUILTIN_DIR] if override else [BUILTIN_DIR]


def _engine() -> Engine:
    # No cached loader: an edited template is read again on the next document.
    return Engine(
        dirs=[str(d) for d in template_dirs()],
        loaders=["django.template.loaders.filesystem.Loader"],
        autoescape=True,
    )


def render_html(kind: str, values: dict[str, Any]) -> tuple[str, str, str]:
    """(html, template name, template sha256) of the kind's template filled with `values`."""
    template = _engine().get_template(f"{kind}.html")
    path = Path(template.origin.name)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    name = BUILTIN_PREFIX + path.name if path.parent == BUILTIN_DIR else str(path)
    return template.render(Context(values)), name, digest


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf()  # type: ignore[no-any-return]


def render(kind: str, values: dict[str, Any], fmt: str) -> Rendered:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    html, name, digest = render_html(kind, values)
    data = html_to_pdf(html) if fmt == "pdf" else html_to_docx(html)
    return Rendered(data=data, media_type=FORMATS[fmt], template=name, template_sha256=digest, html=html)


# --- DOCX ------------------------------------------------------------------------------------------


def _east_asian(target: Any, font: str) -> None:
    """Name `font` for Latin and East-Asian text of a run or style (Word reads w:eastAsia for CJK)."""
    from docx.oxml.ns import qn

    target.font.name = font
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def _runs(
    paragraph: Any, element: Any, *, bold: bool = False, underline: bool = False, font: str = SERIF
) -> None:
    """The text of `element` (and its inline children) as runs of `paragraph`."""

    def add(text: str | None, b: bool, u: bool) -> None:
        text = _SPACES.sub(" ", _NEWLINES.sub("", text or ""))
        if not text:
            return
        run = paragraph.add_run(text)
        run.bold = b or None
        run.underline = u or None
        _east_asian(run, font)

    add(element.text, bold, underline)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            paragraph.add_run().add_break()
        else:
            _runs(
                paragraph,
                child,
                bold=bold or tag in ("strong", "b"),
                underline=underline or tag == "u",
                font=font,
            )
        add(child.tail, bold, underline)


def _paragraph(doc: Any, element: Any, container: Any = None) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    target = container if container is not None else doc
    tag = element.tag
    classes = set((element.get("class") or "").split())
    paragraph = target.add_paragraph()
    fmt = paragraph.paragraph_format
    if tag == "h1":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.space_after = Pt(18)
        _runs(paragraph, element, bold=True)
        for run in paragraph.runs:
            run.font.size = Pt(22)
        return
    if tag == "h2":
        fmt.space_before = Pt(8)
        _runs(paragraph, element, bold=True, font=SANS)
        for run in paragraph.runs:
            run.font.size = Pt(14)
        return
    if "right" in classes or "signature" in classes:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif "center" in classes:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if "indent" in classes:
        fmt.first_line_indent = Pt(24)
    if "signature" in classes:
        fmt.space_before = Pt(24)
    _runs(paragraph, element)


def _table(doc: Any, element: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    rows = [tr for tr in element.iter("tr")]
    width = max((len([c for c in tr if c.tag in ("td", "th")]) for tr in rows), default=0)
    if not rows or not width:
        return
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for r, tr in enumerate(rows):
        for c, cell_el in enumerate([c for c in tr if c.tag in ("td", "th")]):
            cell = table.cell(r, c)
            paragraph = cell.paragraphs[0]
            if "num" in (cell_el.get("class") or "").split():
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _runs(paragraph, cell_el, bold=cell_el.tag == "th")


def _walk(doc: Any, parent: Any) -> None:
    for element in parent:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("h1", "h2", "p"):
            _paragraph(doc, element)
        elif tag == "table":
            _table(doc, element)
        elif tag in ("div", "section", "body"):
            _walk(doc, element)


def html_to_docx(html: str) -> bytes:
    """The document's HTML as an A4 DOCX in the same fonts and layout classes."""
    import lxml.html
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    _east_asian(normal, SERIF)
    normal.font.size = Pt(12)
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.space_after = Pt(3)
    root = lxml.html.document_fromstring(html)
    body = root.find("body")
    _walk(doc, body if body is not None else root)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

"""The report as a .docx: a template in the layout of Decree 30/2020 (pctp.core.docx) whose
body holds named fields (docxtpl: Jinja tags in the document), filled from the figures.
The province may download the default template of a type, edit its wording in Word and
upload it back; the fields it keeps are filled, the text it adds is printed as written."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docxtpl import DocxTemplate, InlineImage

from pctp.core.docx import official_document
from pctp.reporting.types import ReportType

TABLE_PT = 11
FIGURE_COLUMNS = ("Chỉ tiêu", "Kết quả", "Tử số / mẫu số", "Chỉ tiêu đề ra", "Đánh giá",  # i18n: data
                  "Cùng kỳ", "Tăng, giảm")
FIGURE_FIELDS = ("t.label", "t.value", "t.ratio", "t.target", "t.status", "t.previous",
                 "t.change")
UNIT_COLUMNS = ("Đơn vị", "Chỉ tiêu", "Tử số / mẫu số", "Kết quả", "Đánh giá")  # i18n: data
UNIT_FIELDS = ("r.unit", "r.code", "r.ratio", "r.value", "r.status")
COMMUNE_COLUMNS = ("Xã, phường", "Vụ phạm tội về TTXH", "Cùng kỳ", "Tăng, giảm")  # i18n: data
COMMUNE_FIELDS = ("c.name", "c.now", "c.before", "c.change")
MISSING_COLUMNS = ("Đơn vị", "Nhiệm vụ", "Kỳ báo cáo", "Hạn gửi", "Tình trạng")  # i18n: data
MISSING_FIELDS = ("m.unit", "m.task", "m.period", "m.due", "m.state")


def _heading(doc, text: str) -> None:
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(14)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.space_after = Pt(6)


def _text(doc, text: str, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, size: float = 14,
          italic: bool = False, indent: bool = True) -> None:
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.italic = italic or None
    p.alignment = align
    p.paragraph_format.space_after = Pt(6)
    p.paragraph_format.line_spacing = 1.15
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)


def _loop_table(doc, title: str, columns, fields, loop: str, widths_mm) -> None:
    """A bordered table whose middle row repeats once per item (`{%tr for … %}`)."""
    _text(doc, title, align=WD_ALIGN_PARAGRAPH.CENTER, size=12, italic=True, indent=False)
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    item = loop.split()[1]
    rows = [columns, [f"{{%tr for {item} in {loop.split()[-1]} %}}"] + [""] * (len(columns) - 1),
            [f"{{{{ {f} }}}}" for f in fields], ["{%tr endfor %}"] + [""] * (len(columns) - 1)]
    for c, width in enumerate(widths_mm):  # the grid's widths (LibreOffice reads these)
        table.columns[c].width = Mm(width)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = Mm(widths_mm[c])
            p = cell.paragraphs[0]
            run = p.add_run(value)
            run.font.size = Pt(TABLE_PT)
            run.bold = r == 0 or None
            p.alignment = (WD_ALIGN_PARAGRAPH.LEFT if c == 0 and r == 2
                           else WD_ALIGN_PARAGRAPH.CENTER)
    # The header repeats on every page the table runs over.
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    doc.add_paragraph()


def default_template(rtype: ReportType) -> bytes:
    """The default template of a report type: the Decree 30 frame with its fields."""

    def body(doc):
        _heading(doc, "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA KẾ HOẠCH")  # i18n: data
        _text(doc, "{%p for t in targets %}")
        _text(doc, "{{ t.code }}. {{ t.paragraph }}")
        _text(doc, "{%p endfor %}")
        _loop_table(doc, "Bảng 1. Kết quả các chỉ tiêu ({{ period }})", FIGURE_COLUMNS,  # i18n: data
                    FIGURE_FIELDS, "for t in targets", (45, 20, 28, 20, 20, 16, 16))
        _text(doc, "{%p if chart_targets %}")
        _text(doc, "{{ chart_targets }}", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        _text(doc, "Biểu đồ 1. Kết quả các chỉ tiêu so với chỉ tiêu đề ra",  # i18n: data
              align=WD_ALIGN_PARAGRAPH.CENTER, size=12, italic=True, indent=False)
        _text(doc, "{%p endif %}")
        _text(doc, "{%p if chart_months %}")
        _text(doc, "{{ chart_months }}", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        _text(doc, "Biểu đồ 2. Số vụ phạm tội về trật tự xã hội theo tháng, so với cùng kỳ",  # i18n: data
              align=WD_ALIGN_PARAGRAPH.CENTER, size=12, italic=True, indent=False)
        _text(doc, "{%p endif %}")
        _heading(doc, "II. KẾT QUẢ THEO ĐƠN VỊ VÀ ĐỊA BÀN")  # i18n: data
        _text(doc, "{%p if by_unit %}")
        _loop_table(doc, "Bảng 2. Kết quả các chỉ tiêu theo đơn vị", UNIT_COLUMNS,  # i18n: data
                    UNIT_FIELDS, "for r in by_unit", (62, 16, 32, 25, 30))
        _text(doc, "{%p endif %}")
        _text(doc, "{%p if by_commune %}")
        _loop_table(doc, "Bảng 3. Tội phạm về trật tự xã hội theo xã, phường", COMMUNE_COLUMNS,  # i18n: data
                    COMMUNE_FIELDS, "for c in by_commune", (70, 35, 30, 30))
        _text(doc, "{%p endif %}")
        if rtype.scope == "province":
            _text(doc, "{%p if submissions %}")
            _text(doc, "{{ submissions }}")
            _text(doc, "{%p endif %}")
            _text(doc, "{%p if missing %}")
            _loop_table(doc, "Bảng 4. Báo cáo định kỳ của đơn vị chưa gửi hoặc bị trả lại",  # i18n: data
                        MISSING_COLUMNS, MISSING_FIELDS, "for m in missing", (50, 50, 30, 20, 25))
            _text(doc, "{%p endif %}")
        if rtype.causes:
            _heading(doc, "III. NGUYÊN NHÂN, ĐIỀU KIỆN CỦA TỘI PHẠM")  # i18n: data
            _text(doc, "{{ causes }}")
        _heading(doc, "IV. ĐÁNH GIÁ CHUNG" if rtype.causes else "III. ĐÁNH GIÁ CHUNG")  # i18n: data
        _text(doc, "{{ overview }}")
        _heading(doc, "V. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI" if rtype.causes  # i18n: data
                 else "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI")
        _text(doc, "{{ next_steps }}")
        _text(doc, "{{ provenance }}", size=11, italic=True)

    data = official_document(
        issuer="{{ issuer }}", issuer_parent="{{ issuer_parent }}", number="{{ number }}",
        place="", on=None, place_date="{{ place_date }}", doc_type=rtype.doc_type,
        summary="{{ summary }}", paragraphs=["{{ intro }}"],
        recipients=list(rtype.recipients), signer_title="{{ SIGNER_TITLE }}",
        signer_name="{{ signer_name }}", addressee="{{ addressee }}", body=body)
    # The properties carry no field (a template's fields belong in its text): plain words.
    doc = Document(BytesIO(data))
    props = doc.core_properties
    props.title, props.subject, props.author = f"{rtype.doc_type} — {rtype.label}", "", "PCTP"
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _environment():
    """The templates' Jinja environment: sandboxed (no attribute of Python's internals, no
    call reaches the server), escaping what it prints."""
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(autoescape=True)


def render(template: bytes, context: dict, images: dict[str, tuple[bytes, float]]) -> bytes:
    """Fill the template: `context` the fields, `images` field -> (PNG, width in mm)."""
    doc = DocxTemplate(BytesIO(template))
    filled = dict(context)
    for key, (png, width) in images.items():
        filled[key] = InlineImage(doc, BytesIO(png), width=Mm(width)) if png else ""
    doc.render(filled, jinja_env=_environment(), autoescape=True)
    from django.utils import timezone

    props = doc.docx.core_properties  # when it was generated, not python-docx's defaults
    props.created = props.modified = timezone.now().replace(microsecond=0)
    props.comments, props.author = "PCTP", str(context.get("ISSUER", ""))[:250]
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _parsed(template: bytes):
    """The template's Jinja tree (body, headers and footers), as docxtpl renders it."""
    from docx.oxml import parse_xml

    tpl = DocxTemplate(BytesIO(template))
    doc = Document(BytesIO(template))
    xml = tpl.patch_xml(tpl.xml_to_string(doc._element.body))
    for rel in doc.part.rels.values():  # headers, footers, footnotes: docxtpl fills them all
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI, FOOTNOTES_URI) and \
                rel.target_part.blob:
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    return _environment().parse(xml)


FOOTNOTES_URI = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                 "footnotes")


def _properties_free_of_fields(template: bytes) -> None:
    """docxtpl fills the document's properties too (title, subject…): a template's fields
    belong in its text, so a property holding one is refused."""
    from django.utils.translation import gettext as _

    props = Document(BytesIO(template)).core_properties
    for name in ("title", "subject", "author", "keywords", "comments", "category",
                 "content_status", "identifier", "language", "last_modified_by", "version"):
        value = getattr(props, name, "") or ""
        if "{{" in value or "{%" in value or "{#" in value:
            raise TemplateError(_("The document's properties (%(p)s) hold a field: fields "
                                  "belong in the text.") % {"p": name})


def fields_of(template: bytes) -> set[str]:
    """The fields a template uses (to tell a province which of its fields are unknown)."""
    from jinja2 import meta

    return set(meta.find_undeclared_variables(_parsed(template)))


# Every field a report fills (the context of services._context and the two charts), and
# the keys of the rows of each list a template may loop over.
FIELDS = frozenset({
    "ISSUER", "ISSUER_PARENT", "number", "place_date", "summary", "addressee", "period",
    "intro", "targets", "by_unit", "by_commune", "causes", "submissions", "missing",
    "overview", "next_steps", "provenance", "signer_name", "SIGNER_TITLE", "chart_targets",
    "chart_months"})
ROWS = {"targets": {"code", "paragraph", "label", "value", "ratio", "target", "status",
                    "previous", "change"},
        "by_unit": {"code", "unit", "numerator", "denominator", "value_number", "status_key",
                    "ratio", "value", "status"},
        "by_commune": {"name", "now", "before", "change"},
        "missing": {"unit", "task", "period", "due", "state"}}


class TemplateError(ValueError):
    pass


def _walk(node, loops: dict[str, str]) -> None:
    """Only what the default template does: print a field, loop over a list and print its
    rows' keys, test a field. No call, filter, index, expression or other attribute."""
    from django.utils.translation import gettext as _
    from jinja2 import nodes

    if isinstance(node, nodes.For):
        if not (isinstance(node.iter, nodes.Name) and node.iter.name in ROWS
                and isinstance(node.target, nodes.Name)) or node.test is not None \
                or node.recursive:
            raise TemplateError(_("A loop of the template may only go over one of: %(l)s.")
                                % {"l": ", ".join(sorted(ROWS))})
        inner = {**loops, node.target.name: node.iter.name}
        for child in (*node.body, *node.else_):
            _walk(child, inner)
        return
    if isinstance(node, nodes.Getattr):
        base = node.node
        allowed = ROWS.get(loops.get(base.name, ""), set()) if isinstance(
            base, nodes.Name) else set()
        if node.attr not in allowed:
            raise TemplateError(_("The template reads “%(a)s”, which no report fills.")
                                % {"a": node.attr})
        return
    if isinstance(node, nodes.Name):
        if node.name not in FIELDS and node.name not in loops:
            raise TemplateError(_("The template names fields no report fills: %(f)s (the "
                                  "fields are: %(all)s).")
                                % {"f": node.name, "all": ", ".join(sorted(FIELDS))})
        return
    if not isinstance(node, (nodes.Template, nodes.Output, nodes.TemplateData, nodes.If,
                             nodes.Not, nodes.And, nodes.Or)):
        raise TemplateError(_("The template uses “%(n)s”: only fields, loops over a "
                              "report's lists and tests of a field are allowed.")
                            % {"n": type(node).__name__})
    for child in node.iter_child_nodes():
        _walk(child, loops)


def check_template(data: bytes) -> None:
    """Refuse a template that is no .docx, whose tags do not parse, or that does anything
    but print the report's fields (a typo would print nothing where a figure belongs, and a
    template is code: it must not reach the server)."""
    from django.utils.translation import gettext as _
    from jinja2 import TemplateError as JinjaError

    try:
        tree = _parsed(data)
    except JinjaError as exc:
        raise TemplateError(_("The template's fields do not parse: %(e)s") % {"e": exc}) from None
    except Exception:  # noqa: BLE001 - python-docx's many ways of refusing a non-.docx
        raise TemplateError(_("The template is not a .docx document.")) from None
    _walk(tree, {})
    _properties_free_of_fields(data)


def template_for(rtype: ReportType) -> bytes:
    """The province's own template of the type (PCTP_REPORT_TEMPLATE_DIR/<type>.docx),
    checked, or the default."""
    from django.conf import settings

    path = settings.PCTP_REPORT_TEMPLATE_DIR / f"{rtype.key}.docx"
    if not path.is_file():
        return default_template(rtype)
    data = path.read_bytes()
    check_template(data)
    return data

"""Official documents as .docx in the layout of Decree 30/2020/NĐ-CP (Appendix I).

A4 portrait, Times New Roman, margins 20/20/30/15 mm (top, bottom, left, right). A
borderless two-column header: the issuing body (under its parent) with the number and
symbol on the left; the national title and motto with the place and date on the right.
Then the document type and summary, the body, the recipients (bottom left) and the
signature (bottom right). Page numbers from page 2, centred at the top.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

FONT = "Times New Roman"
# The wording of an administrative document is fixed by Decree 30/2020 and stays Vietnamese
# whatever the language of the person who prints it ("i18n: data" for tools/untranslated.py).
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # i18n: data
MOTTO = "Độc lập - Tự do - Hạnh phúc"  # i18n: data

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH_MM = 210 - 30 - 15

# Column widths (mm) of the header and of the recipients/signature table.
HEADER_LEFT_MM, HEADER_RIGHT_MM = 66, TEXT_WIDTH_MM - 66
FOOTER_LEFT_MM, FOOTER_RIGHT_MM = 80, TEXT_WIDTH_MM - 80
CELL_PADDING_MM = 1  # left and right padding inside the layout tables

BODY_PT = 14
SEAL_SPACE_LINES = 4


def date_line(place: str, on: date) -> str:
    """"Tây Ninh, ngày 05 tháng 01 năm 2026": a day below 10 and the months 1 and 2
    take a leading zero (Decree 30/2020, Appendix I, II.5.b); March to December do not."""
    month = f"{on.month:02d}" if on.month < 3 else str(on.month)
    return f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}"  # i18n: data


def official_document(*, issuer: str, issuer_parent: str, number: str, place: str, on: date,
                      doc_type: str, summary: str, paragraphs: Sequence[str],
                      recipients: Sequence[str], signer_title: str, signer_name: str,
                      signer_authority: str = "", addressee: str = "",
                      countersigner_title: str = "", countersigner_name: str = "",
                      place_date: str | None = None, body=None) -> bytes:
    """Build the document and return the .docx bytes.

    `number` is the full "Số" value after the colon (e.g. "12/TB-CSĐT"). `recipients`
    are printed as "- …;" lines under "Nơi nhận:" (the last one ends with "."); with
    `countersigner_title` (e.g. the reporter signing a receipt record) the bottom left
    holds a second signature block instead and the recipients, if any, follow it.
    `addressee` adds a centred "Kính gửi: …" line under the summary. `place_date` replaces
    the place and date line (a template's field); `body(doc)` adds blocks of its own
    (headings, tables, images) after the paragraphs.
    """
    doc = Document()
    _setup_styles(doc)
    _setup_page(doc)
    _header_table(doc, issuer=issuer, issuer_parent=issuer_parent, number=number,
                  place_date=place_date if place_date is not None else date_line(place, on))

    _para(doc, doc_type.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18)
    if summary:
        _para(doc, summary, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _rule(doc.add_paragraph(), width_mm=35, column_mm=TEXT_WIDTH_MM, after=2)
    if addressee:
        _para(doc, f"Kính gửi: {addressee}", align=WD_ALIGN_PARAGRAPH.CENTER, before=6,  # i18n: data
              after=12)
    else:
        _para(doc, "", size=6)

    for text in paragraphs:
        p = _para(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
        p.paragraph_format.first_line_indent = Mm(10)
        p.paragraph_format.line_spacing = 1.15
        p.paragraph_format.widow_control = True
    if body is not None:
        body(doc)

    _para(doc, "", size=6)
    _signature_table(doc, recipients=recipients if not countersigner_title else (),
                     signer_authority=signer_authority, signer_title=signer_title,
                     signer_name=signer_name, countersigner_title=countersigner_title,
                     countersigner_name=countersigner_name)
    if countersigner_title and recipients:
        _para(doc, "", size=6)
        _recipients_block(doc, recipients)

    doc.core_properties.title = f"{doc_type} {summary}".strip()
    doc.core_properties.subject = summary
    doc.core_properties.author = issuer
    doc.core_properties.language = "vi-VN"
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


# ----------------------------------------------------------------------------- setup

def _set_fonts(rpr) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _setup_styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr())
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_fonts(rpr)


def _setup_page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    # Page numbers from page 2: an empty first-page header, a PAGE field on the others.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(p)


def _page_field(paragraph) -> None:
    def fld_char(kind: str):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    run = paragraph.add_run()
    run.font.size = Pt(BODY_PT)
    run._r.append(fld_char("begin"))
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run._r.append(instr)
    paragraph.add_run()._r.append(fld_char("separate"))
    shown = paragraph.add_run("2")
    shown.font.size = Pt(BODY_PT)
    paragraph.add_run()._r.append(fld_char("end"))


# ----------------------------------------------------------------------------- blocks

def _para(container, text: str, *, size: float = BODY_PT, bold: bool = False,
          italic: bool = False, align=None, before: float = 0, after: float = 0,
          paragraph=None):
    p = paragraph if paragraph is not None else container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        run.font.size = Pt(size)
    else:
        _mark_size(p, size)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_before = Pt(before)
    p.paragraph_format.space_after = Pt(after)
    return p


def _mark_size(paragraph, size: float) -> None:
    """Size of the paragraph mark, so that an empty paragraph is as tall as `size`."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size * 2)))
    rpr.append(sz)


def _rule(paragraph, *, width_mm: float, column_mm: float, after: float = 4) -> None:
    """A short centred horizontal line: the bottom border of an almost empty paragraph
    indented to `width_mm`."""
    side = max((column_mm - 2 * CELL_PADDING_MM - width_mm) / 2, 0)
    pf = paragraph.paragraph_format
    pf.left_indent = Mm(side)
    pf.right_indent = Mm(side)
    pf.space_before = Pt(2)
    pf.space_after = Pt(after)
    pf.line_spacing = Pt(2)
    _mark_size(paragraph, 1)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")  # eighths of a point
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    # pBdr comes before spacing/ind in the schema's sequence.
    anchor = ppr.find(qn("w:spacing"))
    if anchor is None:
        anchor = ppr.find(qn("w:ind"))
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        ppr.append(borders)


_TBL_PR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                 "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
                 "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")


def _set_tbl_pr(tbl_pr, element) -> None:
    """Replace or insert a tblPr child in schema order (Word rejects misordered XML)."""
    tag = element.tag.split("}")[1]
    for old in tbl_pr.findall(qn(f"w:{tag}")):
        tbl_pr.remove(old)
    later = _TBL_PR_ORDER[_TBL_PR_ORDER.index(tag) + 1:]
    for child in tbl_pr:
        if child.tag.split("}")[1] in later:
            child.addprevious(element)
            return
    tbl_pr.append(element)


def _layout_table(doc, widths_mm: Sequence[float]):
    table = doc.add_table(rows=1, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # fixed layout
    tbl_pr = table._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(Mm(sum(widths_mm)).twips))
    width.set(qn("w:type"), "dxa")
    _set_tbl_pr(tbl_pr, width)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    _set_tbl_pr(tbl_pr, borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(Mm(CELL_PADDING_MM).twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    _set_tbl_pr(tbl_pr, margins)
    for column, w in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(w)
    for cell, w in zip(table.rows[0].cells, widths_mm, strict=True):
        cell.width = Mm(w)
        for p in list(cell._tc.iterchildren(qn("w:p"))):
            cell._tc.remove(p)  # the blocks add their own; _close_cell restores one if none
    # Keep the row on one page (the signature never splits from its title).
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    return table


def _close_cell(cell: _Cell) -> None:
    if cell._tc.find(qn("w:p")) is None:
        cell.add_paragraph()


def _cell_para(cell: _Cell, text: str, **kwargs):
    kwargs.setdefault("align", WD_ALIGN_PARAGRAPH.CENTER)
    return _para(cell, text, **kwargs)


def _header_table(doc, *, issuer: str, issuer_parent: str, number: str,
                  place_date: str) -> None:
    table = _layout_table(doc, (HEADER_LEFT_MM, HEADER_RIGHT_MM))
    left, right = table.rows[0].cells
    if issuer_parent:
        _cell_para(left, issuer_parent.upper(), size=13)
    _cell_para(left, issuer.upper(), size=13, bold=True)
    _rule(left.add_paragraph(), width_mm=25, column_mm=HEADER_LEFT_MM, after=6)
    _cell_para(left, f"Số: {number}", size=13)  # i18n: data

    _cell_para(right, NATIONAL_TITLE, size=12, bold=True)
    _cell_para(right, MOTTO, size=13, bold=True)
    _rule(right.add_paragraph(), width_mm=60, column_mm=HEADER_RIGHT_MM, after=6)
    _cell_para(right, place_date, size=14, italic=True)
    _close_cell(left)
    _close_cell(right)


def _signature_block(cell: _Cell, *, authority: str, title: str, name: str) -> None:
    if authority:
        _cell_para(cell, authority.upper(), bold=True)
    _cell_para(cell, title.upper(), bold=True)
    for _ in range(SEAL_SPACE_LINES):
        _cell_para(cell, "")
    _cell_para(cell, name, bold=True)


def _recipients_lines(recipients: Sequence[str]) -> list[str]:
    lines = []
    for i, item in enumerate(recipients):
        text = item.strip().rstrip(";.").strip()
        if not text:
            continue
        lines.append(f"- {text}" + ("." if i == len(recipients) - 1 else ";"))
    return lines


def _recipients_block(container, recipients: Sequence[str], *, cell: bool = False) -> None:
    add = (lambda text, **kw: _cell_para(container, text, **kw)) if cell else (
        lambda text, **kw: _para(container, text, **kw))
    add("Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)  # i18n: data
    for line in _recipients_lines(recipients):
        add(line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)


def _signature_table(doc, *, recipients: Sequence[str], signer_authority: str,
                     signer_title: str, signer_name: str, countersigner_title: str,
                     countersigner_name: str) -> None:
    table = _layout_table(doc, (FOOTER_LEFT_MM, FOOTER_RIGHT_MM))
    left, right = table.rows[0].cells
    if countersigner_title:
        _signature_block(left, authority="", title=countersigner_title, name=countersigner_name)
    elif recipients:
        _recipients_block(left, recipients, cell=True)
    _signature_block(right, authority=signer_authority, title=signer_title, name=signer_name)
    _close_cell(left)
    _close_cell(right)

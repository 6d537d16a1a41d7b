"""The final document and the initial output in the form of a UN working document (the CSTD
secretariat's E/CN.16/2015/CRP.2), reopened as a secretariat's software would: python-docx for
fields, headers, styles and tables; pdftotext and pdfinfo for the PDF."""

import datetime
import io
import re

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from consensus.models import ConsensusItem
from issues.models import Issue
from reports.final import DocumentIssue, final_document_build
from reports.formats import final_document_docx, final_document_pdf
from reports.models import Deliverable
from tests.documents import pdf_page_sizes, pdf_pages
from tests.factories import (
    ClusterFactory,
    ConsensusItemFactory,
    CoverageFactory,
    DecisionFactory,
    IssueFactory,
    MechanismFactory,
    OptionFactory,
)

pytestmark = pytest.mark.django_db

SYMBOL = "WGEC/CG/2014/2"
ISSUED_ON = datetime.date(2014, 2, 12)


def _issued(slug: str = "final-document", **masthead) -> DocumentIssue:
    deliverable = Deliverable.objects.get(slug=slug)
    for name, value in masthead.items():
        setattr(deliverable, name, value)
    deliverable.save()
    return DocumentIssue(deliverable, ISSUED_ON, None, symbol=SYMBOL, issued=True)


def _docx(issue: DocumentIssue):
    return docx.Document(io.BytesIO(final_document_docx(final_document_build(issue=issue))))


def _texts(document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def _from(texts: list[str], heading: str) -> list[str]:
    """The paragraphs from a heading on (its last occurrence: the contents list it first)."""
    return texts[len(texts) - 1 - texts[::-1].index(heading) :]


def _instructions(element) -> str:
    return " ".join(node.text for node in element.iter(qn("w:instrText")))


@pytest.fixture
def referred_and_decided(small_map):
    """Beside the small map's referred item: an item decided at the third meeting (referred
    on one date, decided on another) and an issue without consensus not yet referred."""
    security = ClusterFactory(slug="security")
    decided = DecisionFactory(
        item__issue=IssueFactory(
            title="Encryption", cluster=security, consensus=Issue.Consensus.DECIDED
        ),
        item__referred_on=datetime.date(2014, 1, 30),
        decided_on=datetime.date(2014, 2, 26),
        meeting__title="Third meeting",
        option=None,
    )
    decided.item.state = ConsensusItem.State.DECIDED
    decided.item.save()
    OptionFactory(item=decided.item, label="A", text="[Keep it.]")
    IssueFactory(title="Taxation", cluster=security, consensus=Issue.Consensus.NO_CONSENSUS)


def test_the_docx_opens_with_symbol_distribution_masthead_and_no_formal_editing(small_map):
    issue = _issued(
        masthead_body="Commission on Science and Technology for Development",
        masthead_meeting="Third meeting",
        masthead_place_dates="Geneva, 24-28 February 2014",
        without_formal_editing=True,
    )
    texts = _texts(_docx(issue))
    assert texts[0] == f"{SYMBOL}\nDistr.: General\n12 February 2014\nOriginal: English"
    assert texts[1] == (
        "Commission on Science and Technology for Development\n"
        "Working Group on Enhanced Cooperation\nThird meeting\nGeneva, 24-28 February 2014"
    )
    assert "This document is being reproduced without formal editing." in texts
    issue.deliverable.without_formal_editing = False
    assert "This document is being reproduced without formal editing." not in _texts(_docx(issue))


def test_the_docx_has_a_running_header_with_the_symbol_and_page_after_the_first_page(small_map):
    document = _docx(_issued())
    first = document.sections[0]
    assert first.different_first_page_header_footer
    assert "".join(p.text for p in first.first_page_header.paragraphs) == ""
    header = first.header.paragraphs[0]
    assert header.text.startswith(f"{SYMBOL}\tPage ")
    assert _instructions(header._p).strip() == "PAGE"
    # The later sections (the landscape annex, the participants) number on; no title page.
    for section in document.sections[1:]:
        assert section.header.is_linked_to_previous
        assert not section.different_first_page_header_footer
        assert section.header.paragraphs[0].text == header.text


def test_the_docx_has_a_table_of_contents_field_word_updates_on_opening(small_map):
    document = _docx(_issued())
    assert 'TOC \\o "1-2"' in _instructions(document.element.body)
    update = document.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    texts = _texts(document)
    contents = texts[texts.index("Contents") + 1 : -len(_from(texts, "1. Introduction"))]
    for line in ["1. Introduction", "2. Infrastructure", "2.1 Net neutrality", "3.2 Spam"]:
        assert line in contents
    assert "Annex II. The map: issues, mechanisms, their status and the gaps" in contents


def test_sections_are_numbered_by_cluster_and_issue_each_with_status_and_gaps(small_map):
    texts = _texts(_docx(_issued()))
    body = _from(texts, "1. Introduction")
    headings = [t for t in body if re.match(r"\d+(\.|\.\d+) ", t)]
    assert headings[:6] == [
        "1. Introduction",
        "2. Infrastructure",
        "2.1 Net neutrality",
        "3. Security",
        "3.1 Cybercrime",
        "3.2 Spam",
    ]
    spam = _from(body, "3.2 Spam")
    assert spam[1].endswith("\tUnsolicited mail.")
    assert spam[2] == "Status of governance mechanisms"
    assert spam[3].endswith("\tNo mechanism addressing the issue has been identified.")
    assert spam[4] == "Possible gaps"
    assert spam[5].endswith("\tNo gap has been identified.")
    # Numbered paragraphs run on through the sections.
    numbers = [int(t.split(".\t")[0]) for t in body if re.match(r"\d+\.\t", t)]
    assert numbers == list(range(1, len(numbers) + 1))


def test_headings_are_black_serif_without_theme_colours_and_set_by_style(small_map):
    document = _docx(_issued())
    for name in ["Title", "Heading 1", "Heading 2", "Heading 3"]:
        properties = document.styles[name].element.rPr
        color = properties.find(qn("w:color"))
        assert color.get(qn("w:val")) == "000000" and color.get(qn("w:themeColor")) is None
        fonts = properties.find(qn("w:rFonts"))
        assert fonts.get(qn("w:ascii")) == "Times New Roman"
        assert fonts.get(qn("w:asciiTheme")) is None
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["3.1 Cybercrime"] == "Heading 2"
    assert styles["Status of governance mechanisms"] == "Heading 3"


def test_every_table_repeats_its_header_never_splits_a_row_and_fits_its_columns(small_map):
    document = _docx(_issued())
    assert len(document.tables) == 3  # coverage of Cybercrime, the referred item, the map
    for table in document.tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
        assert all(row.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])
    widths = [column.w for column in document.tables[0]._tbl.tblGrid.gridCol_lst]
    # Mechanism, Status, Evidence: fitted, not three equal columns.
    assert len(set(widths)) == 3 and widths[1] < widths[0]


def test_the_whole_map_is_one_table_in_a_landscape_annex(small_map):
    document = _docx(_issued())
    assert [s.orientation for s in document.sections] == [
        WD_ORIENT.PORTRAIT,
        WD_ORIENT.LANDSCAPE,
        WD_ORIENT.PORTRAIT,
    ]
    landscape = document.sections[1]
    assert landscape.page_width > landscape.page_height
    table = document.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [
        ["Section", "Issue", "Mechanism", "Status", "Gap types"],
        ["2.1", "Net neutrality", "None identified", "", ""],
        ["3.1", "Cybercrime", "Council of Europe (CoE)", "Partly addressing", "Capacity gap"],
        ["3.2", "Spam", "None identified", "", ""],
    ]
    # The table stands in the landscape section: the paragraph closing that section follows it.
    following = table._tbl.getnext()
    assert following.find(qn("w:pPr")).find(qn("w:sectPr")) is not None


def test_cross_references_point_at_what_annex_i_holds(referred_and_decided):
    texts = _texts(_docx(_issued()))
    net = _from(texts, "2.1 Net neutrality")[1:3]
    assert any(t.endswith("see annex I, item 1.") for t in net)
    encryption = _from(texts, "3.2 Encryption")[1:3]
    assert any(t.endswith("see annex I, item 2.") for t in encryption)  # decided: in annex I
    assert sum("annex I, item" in t for t in texts) == 2
    taxation = _from(texts, "3.4 Taxation")[1:]
    assert any("it has not been referred to the working group" in t for t in taxation[:3])
    annex = _from(texts, "Annex I. Items referred to the Working Group")
    assert annex[annex.index("1. Net neutrality") + 1] == "See section 2.1."
    assert annex[annex.index("2. Encryption") + 1] == "See section 3.2."


def test_referral_and_decision_dates_are_labelled_as_what_they_are(referred_and_decided):
    texts = _texts(_docx(_issued()))
    assert "Referred to the working group on 28 January 2014." in texts
    assert "Referred to the working group on 30 January 2014." in texts
    assert any(t.startswith("Decided at the third meeting on 26 February 2014") for t in texts)
    assert not any(t.startswith("Decided on 30 January 2014") for t in texts)


def test_no_internal_code_appears_in_the_text(referred_and_decided):
    document = _docx(_issued())
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = " ".join(_texts(document) + cells)
    for code in ["no_consensus", "not_addressing", "on_map", "partly", "Issue ID"]:
        assert code not in text


def test_the_pdf_has_the_running_header_on_every_page_after_the_first(small_map):
    pages = pdf_pages(final_document_pdf(final_document_build(issue=_issued())))
    assert len(pages) >= 4
    assert pages[0].startswith(f"{SYMBOL} Distr.: General")
    assert "Page 1" not in pages[0] and f"{SYMBOL} Page" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"{SYMBOL} Page {number}" in page, number


def test_the_pdfs_contents_give_the_page_each_section_is_on(referred_and_decided):
    pages = pdf_pages(final_document_pdf(final_document_build(issue=_issued())))
    contents = pages[0]
    for heading in ["2.1 Net neutrality", "3.2 Encryption", "3.4 Taxation", "Annex I."]:
        number = int(re.search(rf"{re.escape(heading)}[^0-9]*?\.+ ?(\d+)", contents).group(1))
        assert number > 1
        assert heading in pages[number - 1], heading
        assert heading not in " ".join(pages[1 : number - 1])


def test_the_pdf_sets_the_map_annex_on_landscape_pages(small_map):
    content = final_document_pdf(final_document_build(issue=_issued()))
    pages = pdf_pages(content)
    sizes = pdf_page_sizes(content)
    heading = "Annex II. The map: issues, mechanisms, their status and the gaps Section Issue"
    annex = next(n for n, page in enumerate(pages) if heading in page)
    width, height = sizes[annex]
    assert width > height
    assert all(w < h for w, h in sizes[:annex])
    assert "3.1 Cybercrime Council of Europe (CoE) Partly addressing Capacity gap" in pages[annex]
    assert sizes[-1][0] < sizes[-1][1]  # the participants: portrait again


def test_the_initial_output_is_a_draft_saying_what_remains(small_map):
    security = ClusterFactory(slug="security")
    unknown = IssueFactory(title="Encryption", cluster=security)
    CoverageFactory(issue=unknown, mechanism=MechanismFactory(name="IETF"), status="unknown")
    ConsensusItemFactory(
        issue=IssueFactory(title="Taxation", cluster=security),
        summary="Whether taxation is an Internet issue.",
    )
    issue = _issued("initial-output")
    document = _docx(issue)
    texts = _texts(document)
    draft = "Draft of the final document: the map as it stood on 12 February 2014"
    assert any(t.startswith(draft) for t in texts)
    assert document.sections[0].header.paragraphs[0].text.startswith(f"{SYMBOL} (draft)\tPage")
    remains = _from(texts, "4. What remains before the final document")
    assert remains[1].endswith(
        "\tIssues not yet reviewed (neither a mechanism nor a gap recorded): 3."
    )
    assert remains[2:5] == ["2.1 Net neutrality", "3.3 Spam", "3.4 Taxation"]
    assert remains[5].endswith("\tMechanisms whose status is not yet known: 1.")
    assert remains[6].startswith("3.2 Encryption: IETF")
    assert remains[7].endswith(
        "\tItems without consensus not yet referred to the working group: 1."
    )
    assert remains[8] == "3.4 Taxation: Whether taxation is an Internet issue."
    pdf = " ".join(pdf_pages(final_document_pdf(final_document_build(issue=issue))))
    assert "4. What remains before the final document" in pdf
    assert "Mechanisms whose status is not yet known: 1. 3.2 Encryption: IETF" in pdf
    # The final document is no draft.
    assert "4. What remains before the final document" not in _texts(_docx(_issued()))


HOSTILE = '#panic("x") ]*[ _a_ $b$ <c> @d \\e /* f */ `g` ~ = h #{1/0}'


def test_the_pdf_sets_user_text_as_it_was_typed_never_as_typesetting_markup(small_map):
    """Typst reads the document's text as data: a title, an issue or a piece of evidence that
    looks like Typst markup (or code that would stop the typesetting) appears letter for
    letter."""
    issue = Issue.objects.get(title="Cybercrime")
    issue.title = f"Cyber {HOSTILE}"
    issue.description = "]*[ #pagebreak() done"
    issue.save()
    text = " ".join(
        pdf_pages(final_document_pdf(final_document_build(issue=_issued(title=HOSTILE))))
    )
    assert text.count(HOSTILE) >= 4  # the title; the issue's heading, contents line and map row
    assert "]*[ #pagebreak() done" in text


def test_a_pdf_typeset_in_many_parts_numbers_its_pages_and_paragraphs_on(
    referred_and_decided, monkeypatch
):
    """The PDF is typeset in parts (a few thousand rows each at full size): parts of an issue or
    two and of two map rows here, so that every part boundary is crossed."""
    from reports import typeset

    monkeypatch.setattr(typeset, "BODY_PART_WEIGHT", 5)
    monkeypatch.setattr(typeset, "MAP_PART_ROWS", 2)
    content = final_document_pdf(final_document_build(issue=_issued()))
    pages = pdf_pages(content)
    sizes = pdf_page_sizes(content)
    for number, page in enumerate(pages[1:], start=2):
        assert f"{SYMBOL} Page {number}" in page, number
    # The numbered paragraphs number on through the parts, as in the DOCX.
    text = " ".join(pages)
    body = text[text.rindex("1. Introduction") : text.rindex("Annex I. Items")]
    pattern = r"(\d+)\.\s(No gap has|No mechanism addressing|Unsolicited|Crime online)"
    found = [(int(number), words) for number, words in re.findall(pattern, body)]
    in_docx = [
        (int(t.split(".\t")[0]), t.split(".\t")[1][: len(words)])
        for t in _texts(_docx(_issued()))
        for words in ["No gap has", "No mechanism addressing", "Unsolicited", "Crime online"]
        if re.match(rf"\d+\.\t{words}", t)
    ]
    assert len(found) >= 6 and found == in_docx
    contents = pages[0]
    for heading in ["2.1 Net neutrality", "3.2 Encryption", "3.4 Taxation", "Annex II."]:
        number = int(re.search(rf"{re.escape(heading)}[^0-9]*?\.+ ?(\d+)", contents).group(1))
        assert heading in pages[number - 1], heading
    # The map's rows over several landscape pages, its header row at the top of each.
    landscape = [n for n, (width, height) in enumerate(sizes) if width > height]
    assert len(landscape) >= 2
    for n in landscape:
        assert "Section Issue Mechanism Status Gap types" in pages[n], n
    assert sizes[-1][0] < sizes[-1][1]

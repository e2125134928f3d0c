"""Real documents of each format, made by the tests: a news page with its furniture, a
two-page PDF with running heads and page numbers, Word files, and broken files of each kind."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Mayor vows to mend every road in Exampletown | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<meta property="og:title" content="Mayor vows to mend every road in Exampletown">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2021-03-04T10:00:00Z">
<link rel="canonical" href="https://daily.example/news/2021/03/roads">
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience on our
site. <button>Accept all cookies</button> <a href="/privacy">Manage cookie settings</a></div>
<header><nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li>
<li><a href="/subscribe">Subscribe for unlimited access</a></li></ul></nav></header>
<main><article>
<h1>Mayor vows to mend every road in Exampletown</h1>
<p class="byline">By <a href="/authors/jane">Jane Reporter</a></p>
<p>The mayor of Exampletown promised on Tuesday to repair every pothole in the city before the
end of the year, a pledge that drew loud cheers from residents packed into the council chamber.</p>
<p>“We will fix every road in this town, and we will do it before winter,” said Mayor Alan Smith,
speaking at city hall. “No street will be left behind, however small.”</p>
<div class="advertisement ad-slot">Advertisement: Luxury watches at half price, buy now and save
big on our summer collection.</div>
<p>The repairs are expected to cost about four million pounds, to be paid from the transport
budget that was set aside last spring for a new tram line.</p>
<p>Critics said the plan was far too expensive for a town of its size.</p>
<p>“It is a fantasy dressed up as a budget,” said Rita Jones, a council member who leads the
opposition group.</p>
<aside class="related-stories"><h3>Related stories</h3><ul>
<li><a href="/news/bridges">Bridge closures anger commuters across the county</a></li>
<li><a href="/news/trams">Tram line plan shelved after years of delays</a></li></ul></aside>
<div class="newsletter-signup">Sign up for our morning newsletter and never miss a story.</div>
</article></main>
<footer class="site-footer"><p>© 2021 The Daily Example. All rights reserved.</p>
<p><a href="/about">About us</a> · <a href="/contact">Contact</a> · <a href="/terms">Terms of
use</a></p></footer>
</body></html>
"""

PAGE_FURNITURE = (
    "cookie", "Advertisement", "watches", "Related stories", "Bridge closures", "Tram line plan",
    "newsletter", "All rights reserved", "About us", "Subscribe", "Home",
)

PDF_HEADER = "The Harbour Gazette — Spring Edition"
PDF_PAGE_ONE = [
    ["Harbour plan divides the town"],
    [
        "The town council approved a plan on Monday to rebuild the old harbour, a project",
        "that will cost more than forty million pounds over the next decade and change the",
        "shape of the waterfront for good. Supporters say the work will bring back the fishing",
        "fleet; opponents fear the cost will fall on households already struggling with bills.",
    ],
    [
        "The plan includes a new sea wall, a covered fish market and the recon-",
        "struction of the lighthouse pier, which was closed to the public after storms",
        "damaged its foundations three winters ago. Engineers have surveyed the site twice.",
    ],
    [
        "Councillors argued for more than four hours before the vote, which passed by a",
        "narrow margin of eleven votes to nine after an amendment on funding was withdrawn.",
    ],
]
PDF_PAGE_TWO = [
    [
        "“We cannot afford to wait another year,” said Mary Lee, the harbour master. “The",
        "walls are crumbling and the boats are leaving for other ports along the coast.”",
    ],
    [
        "Work is expected to begin in the autumn after a public consultation closes, and",
        "the first phase should be finished within three years if the weather allows.",
    ],
]


def news_page() -> bytes:
    return NEWS_PAGE.encode("utf-8")


THIN_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>Heatwave pushes river levels to record low - The Valley Courier</title></head><body>
<div class="cookies"><p>We use cookies and similar technologies to give you the best experience
on our website, to personalise content and ads, and to analyse our traffic.</p>
<button>Accept</button></div>
<div class="header"><div class="logo">The Valley Courier</div><ul><li><a href="/">Home</a></li>
<li><a href="/local">Local</a></li><li><a href="/business">Business</a></li></ul></div>
<div class="article"><h1>Heatwave pushes river levels to record low</h1>
<p>By Sarah Miles</p>
<p class="date">Published: 18 July 2022 10:42</p>
<p>The River Vale has fallen to its lowest level since records began, after three weeks
without rain left farmers and boat owners counting the cost.</p>
<p>Water companies have asked customers to take shorter showers and avoid using hosepipes in
the evening, when demand is at its highest.</p>
<div class="inline-ad"><p>ADVERTISEMENT</p><p>Switch energy supplier today and save up to £300
a year on your bills.</p></div>
<p>“I have farmed here for thirty years and I have never seen the river like this,” said
Gareth Price, who keeps sheep on the valley floor. “The fields are like dust.”</p>
<p><strong>Read more:</strong> <a href="/x">Hosepipe ban comes into force across the
county</a></p>
<div class="share">Share on Facebook · Share on Twitter · Email this article</div>
<div class="more-stories"><h2>More stories</h2><ul>
<li><a href="/a">Council approves new leisure centre after long debate</a></li>
<li><a href="/b">Village fete raises thousands for the local hospice</a></li></ul></div></div>
<div class="footer"><p>The Valley Courier is part of Valley Media Group. Registered in England
and Wales. All rights reserved.</p></div>
</body></html>
"""
"""A page with no metadata in its markup: byline and date are printed lines, the site name
is only in ``<title>``, and the ad's class is not one trafilatura knows."""

THIN_PAGE_FURNITURE = (
    "cookies", "Accept", "Home", "ADVERTISEMENT", "Switch energy", "Read more", "Hosepipe ban",
    "Share on", "More stories", "leisure centre", "Valley Media Group", "All rights reserved",
)


def thin_page() -> bytes:
    return THIN_PAGE.encode("utf-8")


def _pdf_lines(
    pdf: object, paragraphs: Sequence[Sequence[str]], *, title_size: float | None
) -> None:
    y = 30.0
    for number, lines in enumerate(paragraphs):
        size = title_size if title_size and number == 0 else 11.0
        pdf.set_font("DejaVu", size=size)  # type: ignore[attr-defined]
        for line in lines:
            pdf.text(20, y, line)  # type: ignore[attr-defined]
            y += size * 0.55
        y += 5.0


def two_page_pdf(*, metadata: bool = True, dateline: str | None = None) -> bytes:
    """Page 1: headline and body; page 2: the harbour master's words. Every page has the same
    running head and a "Page N of 2" footer."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=_dejavu())
    pages = [PDF_PAGE_ONE, PDF_PAGE_TWO]
    if dateline:
        pages[0] = [PDF_PAGE_ONE[0], [dateline], *PDF_PAGE_ONE[1:]]
    if metadata:
        pdf.set_title("Harbour plan divides the town")
        pdf.set_author("Sam Writer")
        pdf.set_creation_date(dt.datetime(2020, 5, 1, 9, 30, tzinfo=dt.UTC))
    for number, paragraphs in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("DejaVu", size=8)
        pdf.text(20, 12, PDF_HEADER)
        _pdf_lines(pdf, paragraphs, title_size=18 if number == 1 else None)
        pdf.set_font("DejaVu", size=8)
        pdf.text(100, 285, f"Page {number} of 2")
    return bytes(pdf.output())


def _dejavu() -> str:
    """A Unicode TrueType font shipped inside a pip package (for curly quotes and dashes)."""
    import matplotlib

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")


def scanned_pdf() -> bytes:
    """A page with only a picture on it (a drawn shape): no text layer."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(80, 80, 80)
    pdf.rect(20, 20, 170, 250, style="F")
    return bytes(pdf.output())


def partly_scanned_pdf() -> bytes:
    """A page of text, then a page with only a picture on it."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.text(20, 20, "The harbour wall will be rebuilt next spring, the council said.")
    pdf.add_page()
    pdf.set_fill_color(80, 80, 80)
    pdf.rect(20, 20, 170, 250, style="F")
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.text(20, 20, "A secret memo that nobody should index without the password.")
    pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")
    return bytes(pdf.output())


def word_file(*, core: bool = True) -> bytes:
    """A council newsletter item; with ``core`` its title, author and date are core properties,
    without them the title is the first line and the date a "Published" line under it."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Riverside Council Newsletter — internal"
    section.footer.paragraphs[0].text = "Confidential draft, page 1"
    document.add_paragraph("Library hours to be extended", style="Title" if core else None)
    if not core:
        document.add_paragraph("Published 3 June 2018")
    document.add_paragraph(
        "The central library will open until nine in the evening on weekdays from next month, "
        "after a survey found that most readers could only visit after work."
    )
    document.add_paragraph(
        "“People have told us again and again that they want the doors open later,” said Tom "
        "Baker, the head librarian. “Now we can finally say yes.”"
    )
    document.add_paragraph(
        "The longer hours will be paid for by closing the mobile library van, which had seen "
        "fewer visitors every year since the pandemic."
    )
    if core:
        properties = document.core_properties
        properties.title = "Library hours to be extended"
        properties.author = "Priya Natarajan"
        properties.created = dt.datetime(2019, 9, 10, 8, 0)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def edited_word_file() -> bytes:
    """A Word file as an editor leaves it: a tracked insertion and deletion, a content
    control, a field, and a paragraph in a table."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = document.element.body
    for xml in (
        f"<w:p {w}><w:r><w:t>Ferry fares to rise</w:t></w:r></w:p>",
        f"<w:p {w}><w:r><w:t xml:space=\"preserve\">Boat owners said the rise was </w:t></w:r>"
        "<w:del w:id=\"1\" w:author=\"Ed\"><w:r><w:delText>fair</w:delText></w:r></w:del>"
        "<w:ins w:id=\"2\" w:author=\"Ed\"><w:r><w:t>badly timed</w:t></w:r></w:ins>"
        "<w:r><w:t>, and several will move.</w:t></w:r></w:p>",
        f"<w:p {w}><w:r><w:t xml:space=\"preserve\">“We will run </w:t></w:r>"
        "<w:sdt><w:sdtContent><w:r><w:t>twelve extra</w:t></w:r></w:sdtContent></w:sdt>"
        "<w:r><w:t xml:space=\"preserve\"> sailings,” said Carla Diaz. Tickets cost </w:t></w:r>"
        "<w:fldSimple w:instr=\"MERGEFIELD price\"><w:r><w:t>£35</w:t></w:r></w:fldSimple>"
        "<w:r><w:t>.</w:t></w:r></w:p>",
        f"<w:tbl {w}><w:tr><w:tc><w:p><w:r><w:t>“The table is read too,” said Leo Grant.</w:t>"
        "</w:r></w:p></w:tc></w:tr></w:tbl>",
    ):
        body.insert(len(body) - 1, parse_xml(xml))  # before the section properties
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


BROKEN = {
    "corrupt.pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nthis is not a pdf\n",
    "corrupt.docx": b"PK\x03\x04 this zip archive stops here",
    "empty-page.html": b"<html><head><title>Nothing</title></head><body><nav><a href='/'>Home"
    b"</a></nav></body></html>",
}


def write_documents(seeds: Path, *, broken: bool = True) -> None:
    """The good documents (and, with ``broken``, one bad file of each kind) in ``seeds``."""
    seeds.mkdir(parents=True, exist_ok=True)
    (seeds / "roads.html").write_bytes(news_page())
    (seeds / "harbour.pdf").write_bytes(two_page_pdf())
    (seeds / "library.docx").write_bytes(word_file())
    (seeds / "fleet.pdf").write_bytes(flowing_pdf())
    if broken:
        for name, data in BROKEN.items():
            (seeds / name).write_bytes(data)
        (seeds / "scanned.pdf").write_bytes(scanned_pdf())
        (seeds / "locked.pdf").write_bytes(encrypted_pdf())


FLOWING_PARAGRAPH = (
    "After years of decline, the fishing fleet is returning to the old port, bringing jobs and "
    "a new sense of purpose to a town that had almost given up on the sea. Boat owners say the "
    "new quay and the cheaper mooring fees have made all the difference to their business."
)


def flowing_pdf(*, paragraphs: int = 6) -> bytes:
    """Text flowed by the PDF library itself (justified, page breaks where they fall), a running
    head and a "- N -" footer from its header/footer hooks, and no document metadata: the
    headline, byline and date are only printed on page 1."""
    from fpdf import FPDF

    class Quarterly(FPDF):
        def header(self) -> None:
            self.set_font("DejaVu", size=8)
            self.cell(0, 6, "Coastal Quarterly · Issue 12")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("DejaVu", size=8)
            self.cell(0, 10, f"- {self.page_no()} -", align="C")

    pdf = Quarterly()
    pdf.add_font("DejaVu", fname=_dejavu())
    pdf.add_page()

    def write(size: float, text: str) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.multi_cell(0, size * 0.55, text, align="J", new_x="LMARGIN", new_y="NEXT")

    write(20, "Fishing fleet returns to the old port")
    pdf.ln(2)
    write(10, "By Ruth Okafor")
    write(10, "14 August 2022")
    pdf.ln(3)
    for number in range(paragraphs):
        write(11, f"{FLOWING_PARAGRAPH} ({number + 1}) {FLOWING_PARAGRAPH}")
        pdf.ln(3)
    write(
        11,
        "“I never thought I would see so many boats here again,” said Tom Hughes, a fisherman "
        "who has worked in the port for forty years. “It feels like the old days.”",
    )
    return bytes(pdf.output())

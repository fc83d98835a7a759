"""The PDF board pack read as text and looked at as page images (rendered with PDFium).

What a chair sees on paper: exceptions on page 1, no grey fill on data rows, RAG as a word
with a colour, no nearly empty page but the last, and every name printed as typed (Welsh ŵ
and ŷ, Greek, Cyrillic) in the embedded Unicode font.
"""

from __future__ import annotations

import io
from datetime import date

import pypdfium2 as pdfium
import pytest
from PIL import ImageChops, ImageFilter
from pypdf import PdfReader

from tests.factories import make_action, make_organisation, make_report, make_role, make_user
from tracker import clock
from tracker.boardpack import board_pack_pdf
from tracker.boardpack.pdf import RAG_TINTS
from tracker.extensions import db
from tracker.models import AccessLevel, Flag, Status
from tracker.services.actions import post_update, request_deadline_change
from tracker.services.board.pack import board_pack

SCALE = 1.0  # 72 dpi: one pixel per point
NAMES = ["Gwenllian Ŵyn", "Dafydd Ŷr", "Олена Коваленко", "Γιώργος Παπαδόπουλος"]


@pytest.fixture
def ynys_mon(app, travel):
    """Ynys Môn YOS on 1 March 2026: two reports, 26 actions, some overdue, at risk, waiting."""
    travel("2026-01-10")
    organisation = make_organisation("Gwasanaeth Troseddau Ieuenctid Ynys Môn", slug="ynys-mon")
    manager = make_user(organisation, AccessLevel.MANAGER, name=NAMES[0])
    member = make_user(organisation, AccessLevel.BOARD, name="Bola Board")
    chair = make_role(organisation, "Chair of the YOS Management Board", holder=member)
    head = make_role(organisation, "Pennaeth y Gwasanaeth", holder=manager)
    police = make_role(organisation, "Heddlu Gogledd Cymru", holder="dafydd@heddlu.example")
    police.holder.name = NAMES[1]
    health = make_role(organisation, "Health lead", holder="olena@health.example")
    health.holder.name = NAMES[2]
    education = make_role(organisation, "Education lead", holder="giorgos@school.example")
    education.holder.name = NAMES[3]
    roles = [head, police, health, education, chair]
    old = make_report(organisation, "Arolygiad o waith troseddau ieuenctid yn Ynys Môn", date(2024, 11, 1))
    new = make_report(organisation, "Inspection of youth offending services in Ynys Môn", date(2025, 9, 1))
    actions = []
    for number in range(1, 14):
        actions.append(
            make_action(
                organisation,
                report=old,
                owners=[roles[number % 5]],
                number=str(number),
                due_on=date(2025, 11, 1) if number <= 5 else date(2026, 11, 1),
                text=f"Gwella’r gwaith — cam {number}: sicrhau bod pob plentyn yn cael cynllun "
                "sy’n cael ei adolygu pan fydd pethau’n newid",
            )
        )
    for number in range(1, 14):
        actions.append(
            make_action(
                organisation,
                report=new,
                owners=[roles[(number + 2) % 5]],
                number=str(number),
                due_on=date(2026, 9, 1),
                text=f"Make sure every child’s plan {number} is reviewed when circumstances "
                "change, with partners’ views recorded",
            )
        )
    db.session.commit()
    travel("2026-02-02")
    post_update(
        actions[7],
        author=manager,
        note="Recruitment has stalled",
        new_status=Status.IN_PROGRESS,
        flag=Flag.AT_RISK,
        flag_reason="no therapist yet",
        expected_version=1,
    )
    post_update(
        actions[15],
        author=member,
        note="Done: audit shows every plan reviewed — see the report",
        new_status=Status.COMPLETED,
        links=["https://intranet.example.org/audit.pdf"],
        expected_version=1,
    )
    request_deadline_change(
        actions[20],
        requested_by=manager,
        new_due_on=date(2026, 12, 1),
        reason="Waiting for the new case system",
        today=clock.today(),
    )
    db.session.commit()
    travel("2026-03-01")
    return organisation


def _pages(pdf: bytes):
    document = pdfium.PdfDocument(pdf)
    return [document[index].render(scale=SCALE).to_pil().convert("RGB") for index in range(len(document))]


def _page_texts(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def _grey_share(image) -> float:
    """The share of the page under a flat mid-grey fill: neutral (r = g = b), darker than the
    header tint, and the same across a 5 x 5 block (so not text edges or table rules)."""
    red, green, blue = image.split()
    spread = ImageChops.subtract(
        ImageChops.lighter(ImageChops.lighter(red, green), blue), ImageChops.darker(ImageChops.darker(red, green), blue)
    )
    grey = image.convert("L")
    flat = ImageChops.subtract(grey.filter(ImageFilter.MaxFilter(5)), grey.filter(ImageFilter.MinFilter(5)))
    mask = [
        1
        for value, change, tint in zip(grey.tobytes(), flat.tobytes(), spread.tobytes(), strict=True)
        if change == 0 and tint <= 8 and 120 <= value <= 236
    ]
    return len(mask) / (image.width * image.height)


def _fullness(image) -> float:
    """How far down the page the content goes, as a share of the space between the margins."""
    top, bottom = int(12 * 72 / 25.4 * SCALE), image.height - int(16 * 72 / 25.4 * SCALE)
    grey = image.convert("L")
    lowest = top
    for y in range(top, bottom):
        row = grey.crop((0, y, grey.width, y + 1))
        if row.getextrema()[0] < 200:
            lowest = y
    return (lowest - top) / (bottom - top)


def test_page_1_is_the_exceptions_and_names_print_in_every_script(ynys_mon):
    pdf = board_pack_pdf(board_pack(ynys_mon, clock.today()))
    texts = _page_texts(pdf)
    first = texts[0]
    assert "Exceptions: what needs the board now" in first
    assert "Overdue (5)" in first and "At risk or blocked (1)" in first and "Decisions needed (2)" in first
    # Each exception names its report and number, so "5" cannot be confused between reports.
    assert "November 2024 inspection, recommendation 5" in first
    assert "September 2025 inspection, recommendation 3: Make sure" in first  # awaiting sign-off
    assert "Sign off as verified" in first and "More time: from 1 Sep 2026 to 1 Dec 2026" in first
    everything = " ".join(texts)
    for name in NAMES:
        assert name in everything, name
    assert "Ynys Môn" in everything and "Gwella’r gwaith — cam 1" in everything
    assert "?" not in everything.replace("Why?", "")
    # RAG is a word wherever it is shown (it survives black-and-white printing).
    assert "Red: " in first and "Amber: " in everything and "Green: " in everything


def test_the_pages_as_images(ynys_mon):
    pdf = board_pack_pdf(board_pack(ynys_mon, clock.today()))
    pages = _pages(pdf)
    assert len(pages) >= 3
    for number, image in enumerate(pages, start=1):
        share = _grey_share(image)
        assert share < 0.03, f"page {number}: {share:.1%} of the page is mid-grey fill"
    for number, image in enumerate(pages[:-1], start=1):
        assert _fullness(image) >= 1 / 3, f"page {number} is less than a third full"
    # RAG has its colour too: the red tint is behind the overdue rows on page 1.
    colours = {pages[0].getpixel((x, y)) for x in range(0, pages[0].width, 2) for y in range(0, pages[0].height, 2)}
    assert RAG_TINTS["red"] in colours and RAG_TINTS["amber"] in colours
    # In black and white the tint is pale: the word in front of it stays readable.
    assert min(pages[0].convert("L").getpixel((x, y)) for x, y in _tint_points(pages[0], RAG_TINTS["red"])) > 200


def _tint_points(image, colour, limit: int = 50):
    points = []
    for y in range(0, image.height, 3):
        for x in range(0, image.width, 3):
            if image.getpixel((x, y)) == colour:
                points.append((x, y))
                if len(points) >= limit:
                    return points
    return points


def test_the_old_grey_rows_would_have_been_caught():
    """The pixel check fails on a page whose data rows are filled mid-grey, as packs used to be."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (842, 595), "white")
    draw = ImageDraw.Draw(image)
    for row in range(8):
        draw.rectangle((34, 80 + row * 30, 808, 100 + row * 30), fill=(177, 180, 182))
    assert _grey_share(image) >= 0.03
    assert _fullness(Image.new("RGB", (842, 595), "white")) < 1 / 3


def test_a_verified_action_shows_the_owners_evidence_not_the_boards_note(ynys_mon):
    from sqlalchemy import select

    from tracker.models import Action, User
    from tracker.services.actions import verify_action

    done = db.session.scalar(select(Action).where(Action.status == Status.COMPLETED))
    member = db.session.scalar(select(User).where(User.name == "Bola Board"))
    verify_action(done, board_member=member, note="Signed off at the March meeting", expected_version=done.version)
    db.session.commit()
    pack = board_pack(ynys_mon, clock.today())
    row = next(row for row in pack.rows if row.action_id == done.id)
    assert row.status is Status.VERIFIED
    assert row.latest_update.startswith("Bola Board: Done: audit shows every plan reviewed")
    text = " ".join(_page_texts(board_pack_pdf(pack)))
    every = text[text.index("Every recommendation") :]  # (the sign-off is listed under status changes)
    assert "Signed off at the March meeting" not in every and "Done: audit shows every plan" in every


def test_the_excel_pack_has_the_same_exceptions_as_page_1(ynys_mon):
    from openpyxl import load_workbook

    from tracker.boardpack import board_pack_xlsx

    pack = board_pack(ynys_mon, clock.today())
    workbook = load_workbook(io.BytesIO(board_pack_xlsx(pack)))
    assert workbook.sheetnames[1] == "Exceptions"
    rows = list(workbook["Exceptions"].iter_rows(min_row=2, values_only=True))
    kinds = [row[0] for row in rows]
    assert kinds == ["Decision: more time", "Decision: sign off"] + ["Overdue"] * 5 + ["At risk or blocked"]
    first_page = _page_texts(board_pack_pdf(pack))[0]
    for row in rows:
        name = row[2][:1].upper() + row[2][1:]
        assert name in first_page, name
    actions = workbook["Actions"]
    headings = [cell.value for cell in actions[1]]
    assert actions.cell(row=2, column=headings.index("Recommendation (report and number)") + 1).value.startswith(
        "September 2025 inspection, recommendation"
    )

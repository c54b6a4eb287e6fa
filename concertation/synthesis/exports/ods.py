"""A table as an OpenDocument spreadsheet (ODS), the open format beside the CSV (odfpy, like the ODT).

The same columns and rows as the CSV: a header row of column names, then one row per line, numbers
as numbers (the spreadsheet sums them), texts neutralised as in the CSV so that a cell beginning
with = + - @ is never run as a formula.
"""

import io
from collections.abc import Iterable

from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P

from concertation.synthesis.exports.csv_json import Column, neutralise

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


def _cell(value) -> TableCell:
    if isinstance(value, bool):
        value = "oui" if value else "non"
    if isinstance(value, (int, float)):
        cell = TableCell(valuetype="float", value=value)
        cell.addElement(P(text=str(value)))
        return cell
    cell = TableCell(valuetype="string")
    text = "" if value is None else str(neutralise(value))
    if text:
        cell.addElement(P(text=text))
    return cell


def spreadsheet(columns: list[Column], rows: Iterable[list], sheet: str = "Données") -> bytes:
    """The ODS bytes of one sheet: the columns' names in bold, then the rows."""
    document = OpenDocumentSpreadsheet()
    bold = Style(name="Header", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)
    wide = Style(name="Wide", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="4cm"))
    document.automaticstyles.addElement(wide)
    table = Table(name=sheet[:31])
    for _ in columns:
        table.addElement(TableColumn(stylename=wide))
    header = TableRow()
    for column in columns:
        cell = TableCell(valuetype="string", stylename=bold)
        cell.addElement(P(text=column.name))
        header.addElement(cell)
    table.addElement(header)
    for row in rows:
        line = TableRow()
        for value in row:
            line.addElement(_cell(value))
        table.addElement(line)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()

"""Reading and writing files: the only code that knows file formats.

Readers turn CSV (as Excel, LibreOffice and Google Sheets write it) and JSON into validated
Client and Volunteer records, or raise one InputError listing every problem in the file.
Writers produce deterministic text and replace files atomically.
"""

from matcher.io.cells import neutralise_cell, unquote_cell
from matcher.io.layout import normalise_header
from matcher.io.readers import (
    TableKind,
    read_client_table,
    read_clients,
    read_records,
    read_table_kind,
    read_table_kinds,
    read_volunteer_table,
    read_volunteers,
)
from matcher.io.record_table import RecordTable, RecordView
from matcher.io.records import Records, check_exclusions
from matcher.io.sources import CSV_SUFFIXES, JSON_SUFFIXES
from matcher.io.writers import (
    format_cell,
    format_csv,
    format_csv_columns,
    format_json,
    format_records,
    write_atomic,
)

__all__ = [
    "CSV_SUFFIXES",
    "JSON_SUFFIXES",
    "RecordTable",
    "RecordView",
    "Records",
    "TableKind",
    "check_exclusions",
    "format_cell",
    "format_csv",
    "format_csv_columns",
    "format_json",
    "format_records",
    "neutralise_cell",
    "normalise_header",
    "read_client_table",
    "read_clients",
    "read_records",
    "read_table_kind",
    "read_table_kinds",
    "read_volunteer_table",
    "read_volunteers",
    "unquote_cell",
    "write_atomic",
]

"""Writes the export corpus: one round of clients and volunteers as a coordinator's tools save it.

    python tests/data/exports/make_exports.py   # needs openpyxl, odfpy, xlwt, msoffcrypto-tool

The canonical CSVs are written by hand below in the contract's own words; the Dutch rows say
the same in a coordinator's words. tests/test_workbooks.py checks that every export gives the
same proposals as the canonical pair. Workbooks are written by other programs (openpyxl,
odfpy, xlwt) than the one that reads them (calamine). The binaries are committed, so the tests
need none of these writers; rerun this only to change the corpus.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIXED_TIME = dt.datetime(2026, 11, 1, 9, 0, 0)

CANONICAL_CLIENTS = """\
client_id,programme,age,gender,lat,lon,district,loss_type,loss_date,hindering_factors,protective_factors,needs,availability,languages,preferred_gender,contact,waiting_since
K01,rouw-zwolle,67,f,52.5168,6.083,Assendorp,partner,2026-03-12,sudden-death|living-alone,strong-network,emotional|practical,mon-am|wed-pm,nl,f,visit,2026-09-01
K02,rouw-zwolle,74,m,52.503,6.11,Stadshagen,child,2026-05-05,physical-health,,social,tue-pm,en|nl,,either,2026-08-15
K03,rouw-zwolle,52,f,52.512,6.095,Holtenbroek,parent,2026-01-20,caregiver-burden|financial-worries,meaning-and-faith,practical,mon-am|thu-eve,nl|tr,f,visit,2026-07-01
K04,seniorencoach,81,m,,,Diezerpoort,sibling,,,,life-questions,sat-am|sat-pm|sat-eve|sun-am|sun-pm|sun-eve,nl,,phone,2026-10-01
K05,rouw-zwolle,45,f,52.5,6.08,Zwolle-Zuid,partner,2026-02-02,young-children|anxiety-or-depression,employed,emotional,tue-eve|wed-eve,en|pl,,either,2026-06-10
K06,rouw-zwolle,38,m,52.521,6.101,Holtenbroek,friend,2026-04-01,little-social-support,,work|social,fri-pm|sat-am|sat-pm|sat-eve,ar|nl,m,visit,2026-09-20
K07,seniorencoach,77,f,52.508,6.09,Assendorp,none,,,good-health,social,mon-pm|thu-am,nl,,visit,2026-11-01
K08,rouw-zwolle,69,m,52.515,6.12,Berkum,partner,2026-06-30,sudden-death|financial-worries,,emotional,wed-am|wed-pm,nl,,visit,2026-07-15
K09,rouw-zwolle,29,x,52.499,6.105,Zwolle-Zuid,sibling,2025-11-11,anxiety-or-depression,employed|strong-network,emotional|life-story,mon-eve|tue-eve,en|nl,,either,2026-03-01
K10,seniorencoach,85,m,52.519,6.085,Stadshagen,,,physical-health|living-alone,,practical|social,tue-am|thu-am,nl,f,visit,2026-10-05
K11,rouw-zwolle,58,f,52.506,6.115,Berkum,child,2026-08-14,,coped-with-earlier-loss,emotional,sat-am|sun-pm,nl,,phone,2026-10-01
K12,rouw-zwolle,63,m,52.511,6.1,Assendorp,partner,2026-09-01,caregiver-burden,,practical,mon-am,nl,,visit,2026-10-15
"""

CANONICAL_VOLUNTEERS = """\
volunteer_id,programmes,age,gender,lat,lon,district,max_travel_km,lived_experience,training,capacity,active_clients,availability,languages,skills,contact
V01,rouw-zwolle,64,f,52.497,6.123,Assendorp,12.5,partner,basic|grief,2,0,mon-am|wed-pm|wed-eve|thu-eve,nl,emotional,either
V02,rouw-zwolle|seniorencoach,66,m,52.5035,6.1341,Ittersum,10,child,basic,2,1,tue-pm|sat-am|sat-pm|sat-eve,en|nl,social|practical,either
V03,rouw-zwolle,41,f,52.513,6.096,Holtenbroek,8,parent,basic|grief|advanced,1,0,mon-am|thu-eve|sat-am|sat-pm|sat-eve|sun-am|sun-pm|sun-eve,nl|tr,practical|emotional,visit
V04,rouw-zwolle,50,m,52.501,6.081,Zwolle-Zuid,15,partner,basic|grief,2,0,tue-eve|wed-eve|fri-pm,en|nl|pl,emotional|work,either
V05,seniorencoach,70,f,,,,10,,basic|life-questions,3,1,sat-am|sat-pm|sat-eve|sun-am|sun-pm|sun-eve|mon-pm,nl,life-questions|social,phone
V06,rouw-zwolle,35,m,52.52,6.1,Holtenbroek,10,friend,basic,1,0,fri-pm|sat-am,ar|nl,work|social,visit
V07,seniorencoach,68,f,52.509,6.091,Assendorp,5,,basic|life-story,2,0,mon-pm|tue-am|thu-am,nl,social|practical|life-story,visit
V08,rouw-zwolle,55,m,52.514,6.119,Berkum,10,sibling,basic|grief,2,0,wed-am|wed-pm|mon-eve,en|nl,emotional,either
"""

CLIENT_HEADERS = [
    "Cliëntnummer", "Naam", "Programma", "Leeftijd", "Geslacht", "Breedtegraad",
    "Lengtegraad", "Wijk", "Soort verlies", "Datum overlijden", "Belemmerende factoren",
    "Beschermende factoren", "Hulpvragen", "Beschikbaarheid", "Talen", "Voorkeur geslacht",
    "Contact", "Wachtend sinds", "Telefoon", "Opmerkingen",
]  # fmt: skip
# Dates as (day, month, year); None is an empty cell. Names, phones and notes are made up.
CLIENTS: list[list[Any]] = [
    ["K01", "Anna de Vries", "Rouw Zwolle", 67, "vrouw", 52.5168, 6.083, "Assendorp", "partner",
     (12, 3, 2026), "plotseling overlijden, alleenwonend", "sterk netwerk",
     "emotioneel, praktisch", "ma ochtend, wo middag", "Nederlands", "vrouw", "huisbezoek",
     (1, 9, 2026), "06-12345678", "Belt liever 's ochtends; \"dochter\" helpt"],
    ["K02", "Jan Bakker", "Rouw Zwolle", 74, "man", 52.503, 6.11, "Stadshagen", "kind",
     (5, 5, 2026), "lichamelijke klachten", None, "sociaal", "di-middag", "Nederlands, Engels",
     None, "beide", (15, 8, 2026), "038-1234567", "Zoon belt terug\nna de zomer"],
    ["K03", "Fatma Yılmaz", "Rouw Zwolle", 52, "V", 52.512, 6.095, "Holtenbroek", "moeder",
     (20, 1, 2026), "geldzorgen, mantelzorg", "geloof", "praktisch",
     "maandagochtend, do-avond", "Turks, Nederlands", "v", "huisbezoek", (1, 7, 2026), None,
     None],
    ["K04", "Piet Jansen", "Seniorencoach", 81, "m", None, None, "Diezerpoort", "broer", None,
     None, None, "levensvragen", "weekend", "Nederlands", None, "telefonisch", (1, 10, 2026),
     None, "Hoort slecht"],
    ["K05", "Maria Kowalski", "Rouw Zwolle", 45, "Vrouw", 52.5, 6.08, "Zwolle-Zuid", "partner",
     (2, 2, 2026), "jonge kinderen, angst", "werkend", "emotioneel", "di avond, wo-avond",
     "Pools, Engels", "geen voorkeur", "beide", (10, 6, 2026), None, None],
    ["K06", "Ahmed El Amrani", "Rouw Zwolle", 38, "man", 52.521, 6.101, "Holtenbroek",
     "vriend", (1, 4, 2026), "weinig steun", None, "werk, sociaal", "vr-middag, za",
     "Arabisch, Nederlands", "man", "huisbezoek", (20, 9, 2026), None, None],
    ["K07", "Els Mulder", "Seniorencoach", 77, "vrouw", 52.508, 6.09, "Assendorp", "geen", None,
     None, "goede gezondheid", "sociaal", "ma-middag, do-ochtend", "Nederlands", None,
     "huisbezoek", (1, 11, 2026), None, None],
    ["K08", "Henk de Boer", "Rouw Zwolle", 69, "man", 52.515, 6.12, "Berkum", "echtgenote",
     (30, 6, 2026), "plotseling overlijden, financiële zorgen", None, "emotioneel",
     "wo-ochtend, wo-middag", "Nederlands", None, "huisbezoek", (15, 7, 2026), None, None],
    ["K09", "Sanne Visser", "Rouw Zwolle", 29, "anders", 52.499, 6.105, "Zwolle-Zuid", "zus",
     (11, 11, 2025), "angst of depressie", "werkend, sterk netwerk",
     "emotioneel, levensverhaal", "ma avond, di avond", "Nederlands, Engels", None, "beide",
     (1, 3, 2026), None, None],
    ["K10", "Gerrit Smit", "Seniorencoach", 85, "man", 52.519, 6.085, "Stadshagen", None, None,
     "alleenwonend, lichamelijke gezondheid", None, "praktisch, sociaal",
     "di-ochtend, do-ochtend", "Nederlands", "vrouw", "huisbezoek", (5, 10, 2026), None, None],
    ["K11", "Lotte Bos", "Rouw Zwolle", 58, "v", 52.506, 6.115, "Berkum", "dochter",
     (14, 8, 2026), None, "eerder verlies verwerkt", "emotioneel",
     "Zaterdagochtend, zo-middag", "Nederlands", None, "telefonisch", (1, 10, 2026), None,
     None],
    ["K12", "Kees Vos", "Rouw Zwolle", 63, "M", 52.511, 6.1, "Assendorp", "partner",
     (1, 9, 2026), "mantelzorg", None, "praktisch", "ma ochtend", "Nederlands", None,
     "huisbezoek", (15, 10, 2026), None, None],
]  # fmt: skip

VOLUNTEER_HEADERS = [
    "Vrijwilligersnummer", "Naam", "Programma", "Leeftijd", "Geslacht", "Breedtegraad",
    "Lengtegraad", "Wijk", "Reisafstand", "Ervaring", "Opleiding", "Capaciteit",
    "Huidige cliënten", "Beschikbaarheid", "Talen", "Vaardigheden", "Contact",
]  # fmt: skip
VOLUNTEERS: list[list[Any]] = [
    ["V01", "Gerda", "Rouw Zwolle", 64, "vrouw", 52.497, 6.123, "Assendorp", 12.5, "partner",
     "basis, rouw", 2, 0, "ma ochtend, wo middag, wo avond, do avond", "Nederlands",
     "emotioneel", "beide"],
    ["V02", "Kees", "Rouw Zwolle, Seniorencoach", 66, "man", 52.5035, 6.1341, "Ittersum", 10,
     "kind", "basis", 2, 1, "di-middag, za", "Nederlands, Engels", "sociaal, praktisch",
     "beide"],
    ["V03", "Aylin", "Rouw Zwolle", 41, "vrouw", 52.513, 6.096, "Holtenbroek", 8, "ouder",
     "basis, rouw, gevorderd", 1, 0, "maandagochtend, do-avond, weekend", "Turks, Nederlands",
     "praktisch, emotioneel", "huisbezoek"],
    ["V04", "Marek", "Rouw Zwolle", 50, "man", 52.501, 6.081, "Zwolle-Zuid", 15, "partner",
     "basis, rouw", 2, 0, "di avond, wo avond, vr middag", "Pools, Nederlands, Engels",
     "emotioneel, werk", "beide"],
    ["V05", "Ineke", "Seniorencoach", 70, "vrouw", None, None, None, 10, None,
     "basis, levensvragen", 3, 1, "weekend, ma-middag", "Nederlands", "levensvragen, sociaal",
     "telefonisch"],
    ["V06", "Youssef", "Rouw Zwolle", 35, "man", 52.52, 6.1, "Holtenbroek", 10, "vriend",
     "basis", 1, 0, "vr-middag, za-ochtend", "Arabisch, Nederlands", "werk, sociaal",
     "huisbezoek"],
    ["V07", "Wil", "Seniorencoach", 68, "vrouw", 52.509, 6.091, "Assendorp", 5, None,
     "basis, levensverhaal", 2, 0, "ma middag, di ochtend, do ochtend", "Nederlands",
     "sociaal, praktisch, levensverhaal", "huisbezoek"],
    ["V08", "Bram", "Rouw Zwolle", 55, "man", 52.514, 6.119, "Berkum", 10, "broer",
     "basis, rouw", 2, 0, "wo ochtend, wo middag, ma avond", "Nederlands, Engels",
     "emotioneel", "beide"],
]  # fmt: skip


def as_date(value: Any) -> Any:
    return dt.date(value[2], value[1], value[0]) if isinstance(value, tuple) else value


def csv_text(value: Any) -> str:
    """A cell as a Dutch Excel saves it: decimal commas, dates as DD-MM-YYYY."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return f"{value[0]:02d}-{value[1]:02d}-{value[2]}"
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return str(value)


def write_cp1252_csv(path: Path, headers: list[str], rows: list[list[Any]]) -> None:
    import csv

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([csv_text(cell) for cell in row] for row in rows)
    writer.writerow([""] * len(headers))  # Excel keeps a row left empty at the end
    # "ı" (dotless i) has no Windows-1252 byte: Excel writes "?" for it, as here.
    path.write_bytes(buffer.getvalue().encode("cp1252", errors="replace"))


def write_xlsx_two_sheets(path: Path) -> None:
    """An intake workbook: a notes sheet first, then clients and volunteers below two blank rows."""
    import openpyxl

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Toelichting"
    notes["A1"] = "Intake oktober; de cliënten en vrijwilligers staan op de volgende tabbladen."
    for title, headers, rows in (
        ("Cliënten", CLIENT_HEADERS, CLIENTS),
        ("Vrijwilligers", VOLUNTEER_HEADERS, VOLUNTEERS),
    ):
        sheet = book.create_sheet(title)
        sheet.append([])
        sheet.append([])
        sheet.append(headers)
        for row in rows:
            sheet.append([as_date(cell) for cell in row])
        for line in sheet.iter_rows(min_row=4):
            for cell in line:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "dd-mm-yyyy"  # an Excel date: a number shown as a date
    _fixed_times(book)
    book.save(path)


def write_xlsx_merged(path: Path) -> None:
    """Clients grouped by programme, the programme merged down each group; a blank column A."""
    import openpyxl
    from openpyxl.styles import PatternFill

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Blad1"
    programme = CLIENT_HEADERS.index("Programma")
    ordered = sorted(CLIENTS, key=lambda row: (row[programme], row[0]))
    sheet.append([None, *CLIENT_HEADERS])
    for row in ordered:
        sheet.append([None, *(as_date(cell) for cell in row)])
    column = programme + 2  # 1-based, after the blank column A
    start = 2
    for index in range(2, len(ordered) + 3):
        current = ordered[index - 2][programme] if index - 2 < len(ordered) else None
        if current != ordered[start - 2][programme]:
            if index - 1 > start:
                sheet.merge_cells(start_row=start, end_row=index - 1, start_column=column,
                                  end_column=column)  # fmt: skip
            start = index
    # Formatting far below and to the right, without values: a sheet's used range grows.
    sheet.cell(row=60, column=30).fill = PatternFill("solid", fgColor="FFFF00")
    _fixed_times(book)
    book.save(path)


def write_ods(path: Path) -> None:
    """Clients in an OpenDocument sheet with typed dates and numbers (as LibreOffice saves)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Cliënten")
    for row in [CLIENT_HEADERS, *CLIENTS]:
        line = TableRow()
        for value in row:
            value = as_date(value)
            if value is None:
                cell = TableCell()
            elif isinstance(value, dt.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=value.strftime("%d-%m-%Y")))
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value).replace(".", ",")))
            else:
                cell = TableCell(valuetype="string")
                for part in str(value).split("\n"):
                    cell.addElement(P(text=part))
            line.addElement(cell)
        table.addElement(line)
    document.spreadsheet.addElement(table)
    document.save(str(path))


def write_xls(path: Path) -> None:
    """Volunteers in an old Excel 97-2003 workbook."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Vrijwilligers")
    for column, header in enumerate(VOLUNTEER_HEADERS):
        sheet.write(0, column, header)
    for line, row in enumerate(VOLUNTEERS, start=1):
        for column, value in enumerate(row):
            if value is not None:
                sheet.write(line, column, value)
    book.save(str(path))


OWN_WORDS_HEADERS = [
    "Dossier", "Regeling", "Leeftijd", "M/V", "Breedtegraad", "Lengtegraad", "Wijk",
    "Wie is overleden", "Overleden op", "Risicofactoren", "Sterke punten", "Hulpvraag",
    "Kan op", "Taal", "Liefst een", "Contact", "In zorg sinds",
]  # fmt: skip
OWN_WORDS_CONFIG = """\
# Her own words for what the built-in Dutch tables do not know.
[columns.clients]
"Dossier" = "client_id"
"M/V" = "gender"
"Wie is overleden" = "loss_type"
"Overleden op" = "loss_date"
"Sterke punten" = "protective_factors"
"Kan op" = "availability"
"Liefst een" = "preferred_gender"
"In zorg sinds" = "waiting_since"

[values.loss_type]
"Partner overleden" = "partner"
"Kind overleden" = "child"
"Ouder overleden" = "parent"
"Broer/zus overleden" = "sibling"
"Vriend(in) overleden" = "friend"
"Niemand" = "none"

[values.availability]
"Ochtenden doordeweeks" = "mon-am|tue-am|wed-am|thu-am|fri-am"

[values.programme]
"Steun bij rouw" = "rouw-zwolle"
"Coach voor ouderen" = "seniorencoach"
"""
_OWN_LOSS = {
    "partner": "Partner overleden", "echtgenote": "Partner overleden", "kind": "Kind overleden",
    "dochter": "Kind overleden", "moeder": "Ouder overleden", "broer": "Broer/zus overleden",
    "zus": "Broer/zus overleden", "vriend": "Vriend(in) overleden", "geen": "Niemand",
}  # fmt: skip
_OWN_PROGRAMME = {"Rouw Zwolle": "Steun bij rouw", "Seniorencoach": "Coach voor ouderen"}


def write_own_words(path: Path) -> None:
    """Clients under her own headers and words, read with own_words.toml."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Wachtlijst"
    sheet.append(OWN_WORDS_HEADERS)
    keep = [CLIENT_HEADERS.index(name) for name in CLIENT_HEADERS if name not in _PRIVATE]
    for row in CLIENTS:
        cells = [as_date(row[index]) for index in keep]
        cells[1] = _OWN_PROGRAMME[cells[1]]
        cells[7] = _OWN_LOSS.get(cells[7], cells[7])
        sheet.append(cells)
    _fixed_times(book)
    book.save(path)
    (path.with_suffix(".toml")).write_text(OWN_WORDS_CONFIG, encoding="utf-8")


_PRIVATE = ("Naam", "Telefoon", "Opmerkingen")


def write_refused(folder: Path) -> None:
    """A password-protected and a damaged workbook, for the errors they must give."""
    import msoffcrypto.format.ooxml

    encrypted = io.BytesIO()
    with (folder / "merged_cells.xlsx").open("rb") as handle:
        msoffcrypto.format.ooxml.OOXMLFile(handle).encrypt("geheim", encrypted)
    (folder / "password.xlsx").write_bytes(encrypted.getvalue())
    whole = (folder / "merged_cells.xlsx").read_bytes()
    (folder / "damaged.xlsx").write_bytes(whole[: len(whole) // 2])


def _fixed_times(book: Any) -> None:
    # The same bytes every time this script runs (openpyxl stamps the time of writing).
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME


def write_postcode_export(folder: Path) -> None:
    """The CRM export as it usually comes: a PC6 postcode per person and no coordinates.

    The organisation's postcode table holds the centre of each PC6 area; here those centres
    are the canonical coordinates, so the round is the canonical one, placed by postcode.
    """
    import csv

    table = ["postcode,lat,lon"]
    for headers, rows, name in (
        (CLIENT_HEADERS, CLIENTS, "postcode_clients.csv"),
        (VOLUNTEER_HEADERS, VOLUNTEERS, "postcode_volunteers.csv"),
    ):
        lat, lon = headers.index("Breedtegraad"), headers.index("Lengtegraad")
        out_headers = [h for h in headers if h != "Lengtegraad"]
        out_headers[lat] = "Postcode"
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(out_headers)
        for number, row in enumerate(rows):
            postcode = ""
            if row[lat] is not None:
                # One made-up PC6 area per person, written as people write it: "8011 AB".
                area = f"80{11 + number + (40 if name.startswith('postcode_v') else 0)}"
                postcode = f"{area} {chr(65 + number % 26)}{chr(66 + number % 25)}"
                table.append(f"{postcode.replace(' ', '')},{row[lat]},{row[lon]}")
            cells = [postcode if i == lat else cell for i, cell in enumerate(row) if i != lon]
            writer.writerow(csv_text(cell) for cell in cells)
        (folder / name).write_bytes(buffer.getvalue().encode("utf-8-sig"))
    (folder / "postcodes.csv").write_text("\n".join(table) + "\n", encoding="utf-8")
    (folder / "postcodes.toml").write_text('[geo]\npostcodes = "postcodes.csv"\n', encoding="utf-8")


def main() -> None:
    (HERE / "canonical_clients.csv").write_text(CANONICAL_CLIENTS, encoding="utf-8")
    (HERE / "canonical_volunteers.csv").write_text(CANONICAL_VOLUNTEERS, encoding="utf-8")
    write_cp1252_csv(HERE / "crm_clients_cp1252.csv", CLIENT_HEADERS, CLIENTS)
    write_cp1252_csv(HERE / "crm_volunteers_cp1252.csv", VOLUNTEER_HEADERS, VOLUNTEERS)
    write_xlsx_two_sheets(HERE / "intake.xlsx")
    (HERE / "intake.toml").write_text(
        '[columns]\nclients_sheet = "Cliënten"\nvolunteers_sheet = "Vrijwilligers"\n',
        encoding="utf-8",
    )
    write_xlsx_merged(HERE / "merged_cells.xlsx")
    write_ods(HERE / "libreoffice_clients.ods")
    write_xls(HERE / "old_excel_volunteers.xls")
    write_own_words(HERE / "own_words.xlsx")
    write_refused(HERE)
    write_postcode_export(HERE)


if __name__ == "__main__":
    main()

"""Writes the fixture files in this folder, byte for byte as the programs named below save them.

Run it again after changing a fixture: `python tests/data/make_fixtures.py`. The files are
committed (see .gitattributes: git must not touch their line endings or encodings).
"""

from __future__ import annotations

import codecs
from pathlib import Path

HERE = Path(__file__).parent

# Excel, Dutch locale, "CSV UTF-8 (door komma's gescheiden)": BOM, `;`, CRLF, decimal comma,
# Dutch dates, headers with capitals and trailing spaces, and the columns a coordinator keeps
# for herself (name, phone, notes; a note spans two lines).
EXCEL_NL_CLIENTS = (
    "Client ID ;Naam;Programme ;Age;Gender;Lat;Lon;District;Loss Type;Loss Date;"
    "Hindering Factors;Protective Factors;Needs;Availability;Languages;Preferred Gender;"
    "Contact;Waiting Since;Excluded Volunteers;Telefoon;Notities\r\n"
    "C001;Anna de Vries;Steun na partnerverlies;67;f;52,5168;6,0830;Assendorp–Centrum;partner;"
    "12-03-2026;sudden-death|living-alone;strong-network;emotional|practical;mon-am|wed-pm;nl;f;"
    "visit;01-09-2026;V003;06-12345678;Belt liever 's ochtends\r\n"
    "C002;Jan Bakker;De draad weer oppakken;74;m;52,503;6,11;Stadshagen;child;;physical-health;;"
    'social;tue-pm;nl|en;;either;15-08-2026;;038-1234567;"Dochter belt\r\nterug na de zomer"\r\n'
    "C003;Kees Smit;Seniorencoach;81;m;;;Holtenbroek;;;;;life-questions;thu-am;nl;;phone;"
    "2026-10-01;;;\r\n"
    ";;;;;;;;;;;;;;;;;;;;\r\n"
)

# Excel, Dutch locale, "CSV (gescheiden door lijstscheidingsteken)": Windows-1252, no BOM,
# `;`, CRLF; é and the en dash are single bytes (0xE9, 0x96).
EXCEL_NL_VOLUNTEERS = (
    "Volunteer ID;Naam;Programmes;Age;Gender;Lat;Lon;District;Max Travel Km;Lived Experience;"
    "Training;Capacity;Active Clients;Availability;Languages;Skills;Contact;Telefoon;Notities\r\n"
    "V001;Els Mulder;steun-na-partnerverlies|de-draad-weer-oppakken;63;f;52,51;6,09;"
    "Assendorp–Centrum;7,5;partner;basic|grief;2;1;mon-am|wed-pm;nl;emotional|practical;visit;"
    "06-87654321;\r\n"
    "V002;René Jansen;Seniorencoach;70;m;52,52;6,12;Stéphanuswijk;;;life-questions;1;0;"
    "thu-am|tue-pm;nl;social|life-questions;either;;Café op dinsdag\r\n"
    "V003;Mo Amrani;Seniorencoach|De draad weer oppakken;45;m;;;;;child;basic;1;0;thu-am;nl|ar;"
    ";phone;;\r\n"
)

# Google Sheets, File > Download > CSV: `,`, UTF-8 without BOM, lists typed as "a, b" and so
# quoted, decimal point.
SHEETS_CLIENTS = (
    "client_id,programme,age,gender,lat,lon,district,loss_type,needs,availability,languages,"
    "contact,waiting_since,notes\n"
    'S1,seniorencoach,80,f,52.51,6.09,Assendorp–Centrum,partner,"emotional, practical",'
    '"mon-am, tue-pm","nl, en",visit,2026-09-30,"Likes tea, not coffee"\n'
    "S2,seniorencoach,77,m,52.49,6.1,Stadshagen,none,social,wed-eve,nl,,2026-10-14,\n"
)

CLIENTS_JSON = """\
[
  {"client_id": "J1", "programme": "levensboek", "age": 79, "gender": "f",
   "lat": 52.5, "lon": 6.08, "needs": ["life-story", "social"],
   "availability": ["mon-am", "fri-pm"], "languages": ["nl"], "waiting_since": "2026-09-01",
   "name": "Truus", "excluded_volunteers": []},
  {"Client ID": "J2", "Programme": "Levensboek", "Contact": "phone", "Age": "83",
   "Loss Type": "partner", "Needs": "life-story|emotional", "phone": null}
]
"""

VOLUNTEERS_JSON = """\
[
  {"volunteer_id": "W1", "programmes": ["levensboek"], "lat": 52.51, "lon": 6.09,
   "capacity": 2, "active_clients": 0, "availability": ["mon-am"], "training": ["basic"],
   "max_travel_km": 12.5, "name": "Wim"}
]
"""

# A welfare CRM's export with its own Dutch headers, tab-separated; read with crm.toml.
CRM_CLIENTS = (
    "Cliëntnummer\tNaam\tRegeling\tBreedtegraad\tLengtegraad\tWijk\tSoort verlies\t"
    "Aangemeld op\tContactvoorkeur\n"
    "100234\tH. de Boer\tSteun na partnerverlies\t52,5071\t6,0944\tBinnenstad\tpartner\t"
    "3-11-2026\tvisit\n"
)

CRM_TOML = """\
[columns.clients]
"Cliëntnummer" = "client_id"
"Regeling" = "programme"
"Breedtegraad" = "lat"
"Lengtegraad" = "lon"
"Wijk" = "district"
"Soort verlies" = "loss_type"
"Aangemeld op" = "waiting_since"
"Contactvoorkeur" = "contact"

[columns.volunteers]
"Vrijwilligersnummer" = "volunteer_id"
"Regelingen" = "programmes"
"""

FIXTURES: dict[str, bytes] = {
    "excel_nl_clients.csv": codecs.BOM_UTF8 + EXCEL_NL_CLIENTS.encode("utf-8"),
    "excel_nl_volunteers.csv": EXCEL_NL_VOLUNTEERS.encode("cp1252"),
    "sheets_clients.csv": SHEETS_CLIENTS.encode("utf-8"),
    "clients.json": CLIENTS_JSON.encode("utf-8"),
    "volunteers.json": VOLUNTEERS_JSON.encode("utf-8"),
    "crm_clients.txt": CRM_CLIENTS.encode("utf-8"),
    "crm.toml": CRM_TOML.encode("utf-8"),
}


def main() -> None:
    for name, data in FIXTURES.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()

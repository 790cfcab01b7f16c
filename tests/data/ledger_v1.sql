-- A ledger as the first release of `matcher db init` (schema v1) left it, with a few weeks
-- of use: three clients, two volunteers, one round, an accepted and ended match, an active
-- match and a decline. Frozen: never edit; tests/test_rounds_durability.py upgrades it.
CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'matched', 'closed')),
    waiting_since TEXT NOT NULL,
    first_imported_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE volunteers (
    volunteer_id TEXT PRIMARY KEY,
    record TEXT NOT NULL,
    first_imported_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE pins (
    client_id TEXT PRIMARY KEY REFERENCES clients (client_id),
    volunteer_id TEXT NOT NULL REFERENCES volunteers (volunteer_id),
    pinned_on TEXT NOT NULL
);
CREATE TABLE rounds (
    round_id INTEGER PRIMARY KEY,
    round_date TEXT NOT NULL,
    created_at TEXT NOT NULL,
    policy TEXT NOT NULL,
    config TEXT NOT NULL,
    inputs_hash TEXT NOT NULL,
    solver_status TEXT NOT NULL,
    objective_units INTEGER NOT NULL,
    n_waiting INTEGER NOT NULL,
    n_volunteers INTEGER NOT NULL
);
CREATE TABLE proposals (
    round_id INTEGER NOT NULL REFERENCES rounds (round_id),
    client_id TEXT NOT NULL REFERENCES clients (client_id),
    volunteer_id TEXT NOT NULL REFERENCES volunteers (volunteer_id),
    weight_units INTEGER NOT NULL,
    risk_tier TEXT NOT NULL,
    scores TEXT NOT NULL,
    reasons TEXT NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0,
    decision TEXT CHECK (decision IN ('accepted', 'declined', 'superseded')),
    decided_at TEXT,
    PRIMARY KEY (round_id, client_id)
);
CREATE TABLE matches (
    match_id INTEGER PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (client_id),
    volunteer_id TEXT NOT NULL REFERENCES volunteers (volunteer_id),
    round_id INTEGER REFERENCES rounds (round_id),
    started_on TEXT NOT NULL,
    ended_on TEXT,
    end_reason TEXT
);
CREATE UNIQUE INDEX one_active_match_per_client ON matches (client_id) WHERE ended_on IS NULL;
CREATE TABLE declines (
    client_id TEXT NOT NULL REFERENCES clients (client_id),
    volunteer_id TEXT NOT NULL REFERENCES volunteers (volunteer_id),
    round_id INTEGER REFERENCES rounds (round_id),
    declined_by TEXT NOT NULL CHECK (declined_by IN ('client', 'volunteer', 'coordinator')),
    reason TEXT NOT NULL,
    declined_on TEXT NOT NULL,
    PRIMARY KEY (client_id, volunteer_id)
);
CREATE TABLE events (
    event_id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    os_user TEXT NOT NULL,
    kind TEXT NOT NULL,
    round_id INTEGER,
    client_id TEXT,
    volunteer_id TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_by_client ON events (client_id);

INSERT INTO volunteers VALUES
 ('V01', '{"volunteer_id":"V01","programmes":["zwolle-partnerverlies"],"age":64,"gender":"f","lat":52.49696,"lon":6.12304,"district":"Assendorp","max_travel_km":12.5,"lived_experience":["partner"],"training":["basic","grief"],"capacity":2,"active_clients":0,"availability":["mon-eve","tue-eve","wed-eve","thu-pm","thu-eve","fri-am","fri-pm"],"languages":["nl"],"skills":["emotional"],"contact":"either"}', '2026-10-05T09:00:00+00:00', '2026-10-05T09:00:00+00:00'),
 ('V02', '{"volunteer_id":"V02","programmes":["zwolle-partnerverlies"],"age":66,"gender":"m","lat":52.50353,"lon":6.13413,"district":"Ittersum","max_travel_km":10.0,"lived_experience":["partner"],"training":["basic","grief"],"capacity":2,"active_clients":0,"availability":["tue-pm","tue-eve","wed-am","wed-pm","thu-am","thu-eve"],"languages":["nl"],"skills":["emotional","practical","work"],"contact":"either"}', '2026-10-05T09:00:00+00:00', '2026-10-05T09:00:00+00:00');
INSERT INTO clients VALUES
 ('K001', '{"client_id":"K001","programme":"zwolle-partnerverlies","age":43,"gender":"m","lat":52.52839,"lon":6.08316,"district":"Holtenbroek","loss_type":"partner","loss_date":"2026-02-16","hindering_factors":["physical-health"],"protective_factors":["good-health"],"needs":["emotional","practical"],"availability":[],"languages":["nl"],"preferred_gender":null,"contact":"either","waiting_since":null,"excluded_volunteers":[]}', 'closed', '2026-10-05', '2026-10-05T09:00:00+00:00', '2026-10-05T09:00:00+00:00'),
 ('K002', '{"client_id":"K002","programme":"zwolle-partnerverlies","age":58,"gender":"m","lat":52.50591,"lon":6.12579,"district":"Berkum","loss_type":"partner","loss_date":"2026-06-07","hindering_factors":["caregiver-burden"],"protective_factors":[],"needs":["emotional","practical"],"availability":[],"languages":["nl"],"preferred_gender":null,"contact":"either","waiting_since":"2026-08-15","excluded_volunteers":[]}', 'matched', '2026-08-15', '2026-10-05T09:00:00+00:00', '2026-10-05T09:00:00+00:00'),
 ('K003', '{"client_id":"K003","programme":"zwolle-partnerverlies","age":55,"gender":"f","lat":52.49776,"lon":6.12686,"district":"Oosterenk","loss_type":"partner","loss_date":"2026-08-30","hindering_factors":["sudden-death"],"protective_factors":[],"needs":["emotional"],"availability":[],"languages":["nl"],"preferred_gender":null,"contact":"either","waiting_since":"2026-09-06","excluded_volunteers":[]}', 'waiting', '2026-09-06', '2026-10-05T09:00:00+00:00', '2026-10-05T09:00:00+00:00');
INSERT INTO rounds VALUES
 (1, '2026-10-05', '2026-10-05T09:05:00+00:00', 'optimal', '{}', 'sha256:00', 'optimal', 9000000, 3, 2);
INSERT INTO proposals VALUES
 (1, 'K001', 'V01', 3000000, 'low', '{}', 'both lost a partner', 0, 'accepted', '2026-10-05T10:00:00+00:00'),
 (1, 'K002', 'V02', 3000000, 'low', '{}', 'both lost a partner', 0, 'accepted', '2026-10-05T10:00:00+00:00'),
 (1, 'K003', 'V01', 3000000, 'low', '{}', 'both lost a partner', 0, 'declined', '2026-10-06T10:00:00+00:00');
INSERT INTO matches VALUES
 (1, 'K001', 'V01', 1, '2026-10-05', '2026-11-02', 'moved'),
 (2, 'K002', 'V02', 1, '2026-10-05', NULL, NULL);
INSERT INTO declines VALUES ('K003', 'V01', 1, 'client', 'prefers someone younger', '2026-10-06');
INSERT INTO events (at, os_user, kind, round_id, client_id, volunteer_id, detail) VALUES
 ('2026-10-05T09:00:00+00:00', 'coordinator', 'import', NULL, NULL, NULL, 'clients.csv: 3 clients: 3 new, 0 updated, 0 unchanged'),
 ('2026-10-05T09:05:00+00:00', 'coordinator', 'round', 1, NULL, NULL, 'round 1: 3 proposals'),
 ('2026-10-06T10:00:00+00:00', 'coordinator', 'decline', 1, 'K003', 'V01', 'declined by client (prefers someone younger)'),
 ('2026-11-02T10:00:00+00:00', 'coordinator', 'end', NULL, 'K001', 'V01', 'match with V01 ended 2026-11-02: moved');
PRAGMA user_version = 1;

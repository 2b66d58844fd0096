-- Meter readers' rounds (R24). Staff sign in like residents; their role says what they reach:
-- a reader walks the rounds given to them, the office reviews what readers flagged. Staff have
-- no accounts of their own, so documents and payments stay out of their reach.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'resident';

CREATE TABLE rounds (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    reader_id INTEGER NOT NULL REFERENCES users(id),
    -- Grows with each change of the office's (a stop added or cancelled).
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX rounds_by_reader ON rounds(reader_id);

-- A flat of the route, in the order walked (building, entrance, flat), with the meters read there.
CREATE TABLE round_stops (
    round_id TEXT NOT NULL REFERENCES rounds(id),
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    account_number TEXT NOT NULL REFERENCES accounts(number),
    entrance INTEGER NOT NULL,
    flat TEXT NOT NULL,
    access_note TEXT NOT NULL,
    -- JSON list of meter ids, in the order read.
    meters TEXT NOT NULL,
    cancelled INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, id)
);

-- Every capture once, by the id the device made: a second sending finds it here.
CREATE TABLE round_captures (
    device_id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES rounds(id),
    reader_id INTEGER NOT NULL REFERENCES users(id),
    stop_id TEXT NOT NULL,
    meter_id TEXT,
    -- The capture as sent, and the values the core's checks read from it.
    json TEXT NOT NULL,
    values_json TEXT NOT NULL,
    period TEXT NOT NULL,
    status TEXT NOT NULL,
    reasons TEXT NOT NULL,
    received_at TEXT NOT NULL,
    resolved_by INTEGER REFERENCES users(id),
    resolved_at TEXT
);
CREATE INDEX round_captures_by_round ON round_captures(round_id, received_at);
CREATE INDEX round_captures_by_status ON round_captures(status);

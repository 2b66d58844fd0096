-- Photos of meter dials attached to readings (R21, R24), uploaded once per client key.
CREATE TABLE photos (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    client_key TEXT NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, client_key)
);

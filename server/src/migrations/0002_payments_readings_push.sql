-- Retried writes: a request's Idempotency-Key, what the request was, and the answer given.
CREATE TABLE idempotency (
    user_id INTEGER NOT NULL REFERENCES users(id),
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    response TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- Card payments made through the LK: who made them, and their order at the acquirer.
ALTER TABLE payments ADD COLUMN user_id INTEGER REFERENCES users(id);
ALTER TABLE payments ADD COLUMN period TEXT;
ALTER TABLE payments ADD COLUMN acquirer TEXT;
ALTER TABLE payments ADD COLUMN order_id TEXT;
ALTER TABLE payments ADD COLUMN confirmation_url TEXT;
CREATE UNIQUE INDEX payments_by_order ON payments(acquirer, order_id);

-- The fiscal register's running document number.
CREATE TABLE fiscal_documents (
    number INTEGER PRIMARY KEY AUTOINCREMENT,
    payment_id TEXT NOT NULL UNIQUE REFERENCES payments(id)
);

-- Who submitted a reading through the LK (NULL: the supplier's own records).
ALTER TABLE readings ADD COLUMN user_id INTEGER REFERENCES users(id);

-- Service secrets made on first start (the sandbox acquirer's key), stable across restarts.
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The sandbox acquirer's own records; the LK reaches them only over its HTTP API.
CREATE TABLE sandbox_orders (
    id TEXT PRIMARY KEY,
    idempotence_key TEXT NOT NULL UNIQUE,
    amount TEXT NOT NULL,
    description TEXT NOT NULL,
    return_url TEXT NOT NULL,
    notification_url TEXT NOT NULL,
    customer TEXT NOT NULL,
    status TEXT NOT NULL,
    card_brand TEXT,
    card_last4 TEXT,
    outcome TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE sandbox_cards (
    id TEXT PRIMARY KEY,
    customer TEXT NOT NULL,
    brand TEXT NOT NULL,
    last4 TEXT NOT NULL,
    expiry TEXT NOT NULL,
    holder TEXT NOT NULL,
    outcome TEXT NOT NULL,
    UNIQUE (customer, brand, last4, expiry)
);

-- Devices for push notifications (R22) and the pushes waiting for delivery.
CREATE TABLE devices (
    token TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    registered_at TEXT NOT NULL
);
CREATE INDEX devices_by_user ON devices(user_id);

CREATE TABLE push_outbox (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    token TEXT NOT NULL,
    event TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    data_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT
);
CREATE INDEX push_outbox_due ON push_outbox(status, next_attempt_at);

-- Window reminders already queued, so each goes once per account, period and kind.
CREATE TABLE push_events_sent (
    account_number TEXT NOT NULL,
    event TEXT NOT NULL,
    period TEXT NOT NULL,
    PRIMARY KEY (account_number, event, period)
);

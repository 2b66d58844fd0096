-- The supplier's records: payees, services, tariffs, accounts, meters, documents, payments.
CREATE TABLE payees (
    region TEXT PRIMARY KEY,
    requisites_json TEXT NOT NULL
);

CREATE TABLE services (
    code TEXT PRIMARY KEY,
    json TEXT NOT NULL
);

CREATE TABLE tariffs (
    region TEXT NOT NULL,
    service_code TEXT NOT NULL,
    zone TEXT NOT NULL,
    price TEXT NOT NULL,
    PRIMARY KEY (region, service_code, zone)
);

CREATE TABLE accounts (
    number TEXT PRIMARY KEY,
    json TEXT NOT NULL,
    region TEXT NOT NULL,
    building TEXT NOT NULL
);

CREATE TABLE meters (
    id TEXT PRIMARY KEY,
    account_number TEXT REFERENCES accounts(number),
    building TEXT,
    json TEXT NOT NULL
);
CREATE INDEX meters_by_account ON meters(account_number);
CREATE INDEX meters_by_building ON meters(building);

CREATE TABLE readings (
    id INTEGER PRIMARY KEY,
    meter_id TEXT NOT NULL REFERENCES meters(id),
    period TEXT NOT NULL,
    json TEXT NOT NULL,
    accepted_at TEXT NOT NULL,
    replaced INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX readings_by_meter ON readings(meter_id, period);

CREATE TABLE documents (
    account_number TEXT NOT NULL REFERENCES accounts(number),
    period TEXT NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (account_number, period)
);

CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    account_number TEXT NOT NULL REFERENCES accounts(number),
    json TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX payments_by_account ON payments(account_number, created_at);

-- Identity: profiles, their accounts, sessions.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    city TEXT NOT NULL,
    region TEXT NOT NULL,
    consent_at TEXT NOT NULL,
    consent_version TEXT NOT NULL,
    created_at TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    notify_reading_window INTEGER NOT NULL DEFAULT 1,
    notify_new_document INTEGER NOT NULL DEFAULT 1,
    notify_payment_result INTEGER NOT NULL DEFAULT 1,
    receipt_by_email INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX users_by_phone ON users(phone);
CREATE INDEX users_by_email ON users(email COLLATE NOCASE);

CREATE TABLE user_accounts (
    user_id INTEGER NOT NULL REFERENCES users(id),
    account_number TEXT NOT NULL REFERENCES accounts(number),
    own INTEGER NOT NULL,
    linked_at TEXT NOT NULL,
    PRIMARY KEY (user_id, account_number)
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    access_hash TEXT NOT NULL UNIQUE,
    refresh_hash TEXT NOT NULL UNIQUE,
    access_expires_at TEXT NOT NULL,
    refresh_expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE captchas (
    id TEXT PRIMARY KEY,
    answer TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

-- A one-time code or link secret: for registration, recovery and contact changes.
CREATE TABLE codes (
    id TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    code_hash TEXT,
    link_hash TEXT,
    expires_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at TEXT NOT NULL,
    sends INTEGER NOT NULL DEFAULT 1,
    verified_at TEXT
);

CREATE TABLE registrations (
    id TEXT PRIMARY KEY,
    details_json TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    consent_at TEXT NOT NULL,
    consent_version TEXT NOT NULL,
    account_number TEXT REFERENCES accounts(number),
    account_confirmed INTEGER NOT NULL DEFAULT 0,
    bind_attempts INTEGER NOT NULL DEFAULT 0,
    code_id TEXT REFERENCES codes(id),
    completed_at TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE recoveries (
    id TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    contact TEXT NOT NULL,
    code_id TEXT NOT NULL REFERENCES codes(id),
    completed_at TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE contact_changes (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    channel TEXT NOT NULL,
    value TEXT NOT NULL,
    code_id TEXT NOT NULL REFERENCES codes(id),
    completed_at TEXT
);

-- Every SMS and e-mail, written with the request and delivered by a background worker.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

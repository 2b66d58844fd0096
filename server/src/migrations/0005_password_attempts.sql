-- Password attempts by login, known or not, counted before the hash is checked so that guesses
-- sent in parallel cannot slip past the lockout; an unknown login locks like a real one.
CREATE TABLE password_attempts (
    login TEXT PRIMARY KEY COLLATE NOCASE,
    -- attempts not (yet) proven right: failures and checks still running
    attempts INTEGER NOT NULL,
    locked_until TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX password_attempts_by_age ON password_attempts(updated_at);
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;

-- Refresh tokens already rotated away: presenting one again means it was stolen, and the
-- session it belonged to ends.
CREATE TABLE retired_refresh_tokens (
    hash TEXT PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    retired_at TEXT NOT NULL
);

-- The session that registered a device token: another profile may take the token over only once
-- that session has ended (signed out, revoked or expired), never silently from a live one.
ALTER TABLE devices ADD COLUMN session_id INTEGER REFERENCES sessions(id);

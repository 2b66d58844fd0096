-- Issue 19: every query the service runs finds its rows by an index (server/tests/query_plans.rs).
-- An account's owning profile (linking, registration, paper-refusal forms).
CREATE INDEX user_accounts_by_account ON user_accounts(account_number, own);
-- A profile's other sessions, ended when its password changes.
CREATE INDEX sessions_by_user ON sessions(user_id);
-- Expired CAPTCHAs, removed as new ones are made.
CREATE INDEX captchas_by_expiry ON captchas(expires_at);

-- A PDF attached to an e-mail (the payment document, a receipt copy).
ALTER TABLE outbox ADD COLUMN attachment_name TEXT;
ALTER TABLE outbox ADD COLUMN attachment BLOB;

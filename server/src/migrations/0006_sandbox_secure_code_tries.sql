-- The sandbox acquirer's 3-D Secure page allows a few tries of the code, and tells the shop why
-- an order failed (declined, 3ds_failed, expired, canceled).
ALTER TABLE sandbox_orders ADD COLUMN secure_code_tries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sandbox_orders ADD COLUMN secure_code_passed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sandbox_orders ADD COLUMN failure_reason TEXT;

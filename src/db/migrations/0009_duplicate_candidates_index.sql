-- The duplicate check's candidates: a grid's open orders, newest first. IF NOT EXISTS: databases that took it
-- under an earlier number during development take it again harmlessly.
CREATE INDEX IF NOT EXISTS "work_orders_grid_open_created_idx" ON "work_orders" USING btree ("grid_id","created_at" DESC NULLS FIRST) WHERE "work_orders"."status" in ('submitted', 'assigned', 'accepted');

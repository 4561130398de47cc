-- The distinct two-character pieces of a text, lowered as ILIKE lowers: the key of the substring search index.
-- (Idempotent: databases that ran this under an earlier number during development take it again harmlessly.)
CREATE OR REPLACE FUNCTION text_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$$ SELECT ARRAY(SELECT DISTINCT substr(lower(t), i, 2) FROM generate_series(1, char_length(t) - 1) AS i) $$;--> statement-breakpoint
DROP INDEX IF EXISTS "work_orders_text_trgm_idx";--> statement-breakpoint
DROP INDEX IF EXISTS "work_orders_created_idx";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "work_orders_grid_created_idx" ON "work_orders" USING btree ("grid_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "work_orders_assignee_created_idx" ON "work_orders" USING btree ("assignee_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "work_orders_text_bigram_idx" ON "work_orders" USING gin (text_bigrams("text"));--> statement-breakpoint
CREATE INDEX "work_orders_created_idx" ON "work_orders" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
-- Statistics of the new index expression: the search's estimates come from them.
ANALYZE "work_orders";

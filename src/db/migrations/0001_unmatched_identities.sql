CREATE TABLE "unmatched_identities" (
	"id" serial PRIMARY KEY NOT NULL,
	"bot_account" text DEFAULT 'default' NOT NULL,
	"kind" text NOT NULL,
	"chat_id" text NOT NULL,
	"name" text NOT NULL,
	"alias" text,
	"seen_in" text,
	"reason" text NOT NULL,
	"candidates" jsonb NOT NULL,
	"provisional_resident_id" integer,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by_staff_id" integer,
	"resolution" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "unmatched_identities_chat_idx" ON "unmatched_identities" USING btree ("bot_account","kind","chat_id");--> statement-breakpoint
CREATE INDEX "unmatched_identities_open_idx" ON "unmatched_identities" USING btree ("last_seen_at" DESC NULLS FIRST);
ALTER TABLE "inbound_messages" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD COLUMN "locked_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "inbound_messages_unprocessed_idx" ON "inbound_messages" USING btree ("bot_account","id") WHERE "inbound_messages"."outcome" is null;
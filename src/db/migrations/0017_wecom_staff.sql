ALTER TABLE "staff" ADD COLUMN "wecom_user_id" text;--> statement-breakpoint
ALTER TABLE "staff" ADD COLUMN "preferred_channel" text DEFAULT 'wechat' NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "channel" text;--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_wecom_user_id_unique" UNIQUE("wecom_user_id");--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_preferred_channel_check" CHECK ("staff"."preferred_channel" in ('wechat', 'wecom'));
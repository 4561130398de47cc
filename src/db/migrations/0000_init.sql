CREATE TYPE "public"."unit_level" AS ENUM('grid', 'community', 'town', 'district');--> statement-breakpoint
CREATE TYPE "public"."staff_role" AS ENUM('leader', 'assistant', 'informant', 'officer', 'admin');--> statement-breakpoint
CREATE TYPE "public"."category_kind" AS ENUM('consultation', 'help', 'complaint', 'emergency');--> statement-breakpoint
CREATE TYPE "public"."urgency" AS ENUM('normal', 'urgent');--> statement-breakpoint
CREATE TYPE "public"."order_closure" AS ENUM('satisfied', 'basically_satisfied', 'unanswered');--> statement-breakpoint
CREATE TYPE "public"."order_status" AS ENUM('submitted', 'assigned', 'accepted', 'resolved', 'closed', 'cancelled', 'merged');--> statement-breakpoint
CREATE TYPE "public"."survey_answer" AS ENUM('satisfied', 'basically_satisfied', 'unsatisfied', 'unanswered');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('pending', 'sending', 'sent', 'dead');--> statement-breakpoint
CREATE SEQUENCE "public"."work_order_no_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1001 CACHE 1;--> statement-breakpoint
CREATE TABLE "grid_units" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"level" "unit_level" NOT NULL,
	"parent_id" integer,
	"path" text NOT NULL,
	"households" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grid_units_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "staff" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"chat_key" text,
	"chat_contact_id" text,
	"bind_code" text,
	"bind_code_expires_at" timestamp with time zone,
	"username" text,
	"password_hash" text,
	"must_change_password" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_chat_key_unique" UNIQUE("chat_key"),
	CONSTRAINT "staff_bind_code_unique" UNIQUE("bind_code"),
	CONSTRAINT "staff_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "staff_roles" (
	"id" serial PRIMARY KEY NOT NULL,
	"staff_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"role" "staff_role" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "residents" (
	"id" serial PRIMARY KEY NOT NULL,
	"chat_key" text,
	"chat_contact_id" text,
	"chat_name" text,
	"name" text,
	"phone" text,
	"grid_id" integer,
	"points" integer DEFAULT 0 NOT NULL,
	"is_friend" boolean DEFAULT false NOT NULL,
	"source" text DEFAULT 'chat' NOT NULL,
	"last_seen_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "residents_chat_key_unique" UNIQUE("chat_key")
);
--> statement-breakpoint
CREATE TABLE "chat_groups" (
	"id" serial PRIMARY KEY NOT NULL,
	"room_id" text,
	"topic" text NOT NULL,
	"grid_id" integer,
	"bot_account" text DEFAULT 'default' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chat_groups_room_id_unique" UNIQUE("room_id")
);
--> statement-breakpoint
CREATE TABLE "inbound_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"message_id" text NOT NULL,
	"bot_account" text DEFAULT 'default' NOT NULL,
	"channel" text NOT NULL,
	"from_key" text,
	"from_name" text,
	"room_id" text,
	"room_topic" text,
	"type" text DEFAULT 'text' NOT NULL,
	"text" text,
	"payload" jsonb,
	"outcome" text,
	"order_id" integer,
	"error" text,
	"received_at" timestamp with time zone NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "inbound_messages_message_id_unique" UNIQUE("message_id")
);
--> statement-breakpoint
CREATE TABLE "categories" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" "category_kind" NOT NULL,
	"keywords" text[] DEFAULT '{}' NOT NULL,
	"default_urgency" "urgency" DEFAULT 'normal' NOT NULL,
	"limit_working_days" integer NOT NULL,
	"urgent_limit_hours" integer DEFAULT 4 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "categories_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"id" serial PRIMARY KEY NOT NULL,
	"order_id" integer NOT NULL,
	"kind" text NOT NULL,
	"storage_path" text,
	"url" text,
	"mime" text,
	"size_bytes" integer,
	"original_name" text,
	"lat" double precision,
	"lng" double precision,
	"address" text,
	"source_message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachments_source_message_id_unique" UNIQUE("source_message_id")
);
--> statement-breakpoint
CREATE TABLE "order_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_id" integer NOT NULL,
	"type" text NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_staff_id" integer,
	"actor_resident_id" integer,
	"channel" text NOT NULL,
	"note" text,
	"from_status" "order_status",
	"to_status" "order_status",
	"from_assignee_id" integer,
	"to_assignee_id" integer,
	"from_unit_id" integer,
	"to_unit_id" integer,
	"data" jsonb,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_supporters" (
	"order_id" integer NOT NULL,
	"resident_id" integer NOT NULL,
	"chat_group_id" integer,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "order_supporters_order_id_resident_id_pk" PRIMARY KEY("order_id","resident_id")
);
--> statement-breakpoint
CREATE TABLE "work_orders" (
	"id" serial PRIMARY KEY NOT NULL,
	"no" integer DEFAULT nextval('work_order_no_seq') NOT NULL,
	"resident_id" integer NOT NULL,
	"grid_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"level" "unit_level" NOT NULL,
	"assignee_id" integer,
	"category_id" integer NOT NULL,
	"urgency" "urgency" NOT NULL,
	"status" "order_status" NOT NULL,
	"text" text NOT NULL,
	"search_tokens" text DEFAULT '' NOT NULL,
	"location_text" text,
	"lat" double precision,
	"lng" double precision,
	"channel" text NOT NULL,
	"chat_group_id" integer,
	"source_message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"assigned_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"sign_deadline_at" timestamp with time zone,
	"deadline_at" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"pending_extension_days" integer,
	"pending_extension_reason" text,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"escalation_count" integer DEFAULT 0 NOT NULL,
	"return_count" integer DEFAULT 0 NOT NULL,
	"supporters" integer DEFAULT 0 NOT NULL,
	"merged_into_id" integer,
	"closure" "order_closure",
	"survey_sent_at" timestamp with time zone,
	"survey_reminded_at" timestamp with time zone,
	"sign_reminded_at" timestamp with time zone,
	"reminded_75_at" timestamp with time zone,
	"reminded_last_day_at" timestamp with time zone,
	"urgent_reminded_at" timestamp with time zone,
	"overdue_notice_at" timestamp with time zone,
	"overdue_escalated_at" timestamp with time zone,
	"was_overdue" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "work_orders_no_unique" UNIQUE("no"),
	CONSTRAINT "work_orders_source_message_id_unique" UNIQUE("source_message_id")
);
--> statement-breakpoint
CREATE TABLE "survey_answers" (
	"id" serial PRIMARY KEY NOT NULL,
	"order_id" integer NOT NULL,
	"resident_id" integer,
	"round" integer NOT NULL,
	"answer" "survey_answer" NOT NULL,
	"comment" text,
	"channel" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"bot_account" text DEFAULT 'default' NOT NULL,
	"kind" text NOT NULL,
	"order_id" integer,
	"recipient_type" text NOT NULL,
	"staff_id" integer,
	"resident_id" integer,
	"chat_group_id" integer,
	"text" text NOT NULL,
	"status" "outbox_status" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"dedupe_key" text,
	"delivered_via" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	CONSTRAINT "outbox_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"key" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"instance" text
);
--> statement-breakpoint
CREATE TABLE "points_ledger" (
	"id" serial PRIMARY KEY NOT NULL,
	"resident_id" integer NOT NULL,
	"delta" integer NOT NULL,
	"reason" text NOT NULL,
	"order_id" integer,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor_staff_id" integer,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"data" jsonb,
	"ip" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"date" date PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text
);
--> statement-breakpoint
CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "staff_roles" ADD CONSTRAINT "staff_roles_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_roles" ADD CONSTRAINT "staff_roles_unit_id_grid_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."grid_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "residents" ADD CONSTRAINT "residents_grid_id_grid_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grid_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chat_groups" ADD CONSTRAINT "chat_groups_grid_id_grid_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grid_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_order_id_work_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."work_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_events" ADD CONSTRAINT "order_events_order_id_work_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."work_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_supporters" ADD CONSTRAINT "order_supporters_order_id_work_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."work_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_supporters" ADD CONSTRAINT "order_supporters_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_grid_id_grid_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grid_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_unit_id_grid_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."grid_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_assignee_id_staff_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_chat_group_id_chat_groups_id_fk" FOREIGN KEY ("chat_group_id") REFERENCES "public"."chat_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_order_id_work_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."work_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD CONSTRAINT "points_ledger_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "grid_units_parent_idx" ON "grid_units" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "grid_units_path_idx" ON "grid_units" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "staff_roles_unique" ON "staff_roles" USING btree ("staff_id","unit_id","role");--> statement-breakpoint
CREATE INDEX "staff_roles_unit_idx" ON "staff_roles" USING btree ("unit_id","role");--> statement-breakpoint
CREATE INDEX "residents_grid_idx" ON "residents" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "chat_groups_grid_idx" ON "chat_groups" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "chat_groups_topic_idx" ON "chat_groups" USING btree ("topic");--> statement-breakpoint
CREATE INDEX "inbound_messages_from_idx" ON "inbound_messages" USING btree ("from_key","received_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "attachments_order_idx" ON "attachments" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_events_order_idx" ON "order_events" USING btree ("order_id","at");--> statement-breakpoint
CREATE INDEX "order_events_type_at_idx" ON "order_events" USING btree ("type","at");--> statement-breakpoint
CREATE INDEX "work_orders_assignee_open_idx" ON "work_orders" USING btree ("assignee_id","deadline_at") WHERE "work_orders"."status" in ('assigned', 'accepted');--> statement-breakpoint
CREATE INDEX "work_orders_grid_deadline_idx" ON "work_orders" USING btree ("grid_id","deadline_at");--> statement-breakpoint
CREATE INDEX "work_orders_status_created_idx" ON "work_orders" USING btree ("status","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "work_orders_created_idx" ON "work_orders" USING btree ("created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "work_orders_unit_status_idx" ON "work_orders" USING btree ("unit_id","status");--> statement-breakpoint
CREATE INDEX "work_orders_resident_idx" ON "work_orders" USING btree ("resident_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "work_orders_category_created_idx" ON "work_orders" USING btree ("category_id","created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "work_orders_open_deadline_idx" ON "work_orders" USING btree ("deadline_at") WHERE "work_orders"."status" in ('assigned', 'accepted');--> statement-breakpoint
CREATE INDEX "work_orders_sign_deadline_idx" ON "work_orders" USING btree ("sign_deadline_at") WHERE "work_orders"."status" = 'assigned';--> statement-breakpoint
CREATE INDEX "work_orders_resolved_idx" ON "work_orders" USING btree ("resolved_at") WHERE "work_orders"."status" = 'resolved';--> statement-breakpoint
CREATE INDEX "work_orders_search_idx" ON "work_orders" USING gin (to_tsvector('simple', "search_tokens"));--> statement-breakpoint
CREATE INDEX "work_orders_text_trgm_idx" ON "work_orders" USING gin ("text" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "survey_answers_round_idx" ON "survey_answers" USING btree ("order_id","round");--> statement-breakpoint
CREATE INDEX "survey_answers_at_idx" ON "survey_answers" USING btree ("at");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "outbox" USING btree ("bot_account","next_attempt_at") WHERE "outbox"."status" in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "outbox_order_idx" ON "outbox" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "outbox_dead_idx" ON "outbox" USING btree ("created_at" DESC NULLS FIRST) WHERE "outbox"."status" = 'dead';--> statement-breakpoint
CREATE INDEX "points_ledger_resident_idx" ON "points_ledger" USING btree ("resident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "points_ledger_once_idx" ON "points_ledger" USING btree ("resident_id","reason","order_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target_type","target_id");
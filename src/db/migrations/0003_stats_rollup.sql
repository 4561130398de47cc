CREATE TABLE "stats_daily" (
	"day" date NOT NULL,
	"grid_id" integer NOT NULL,
	"category_id" integer NOT NULL,
	"submitted" integer DEFAULT 0 NOT NULL,
	"assignments" integer DEFAULT 0 NOT NULL,
	"resp_in_time" integer DEFAULT 0 NOT NULL,
	"resp_late" integer DEFAULT 0 NOT NULL,
	"resp_missed" integer DEFAULT 0 NOT NULL,
	"returned" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"resolved_on_time" integer DEFAULT 0 NOT NULL,
	"survey_satisfied" integer DEFAULT 0 NOT NULL,
	"survey_basic" integer DEFAULT 0 NOT NULL,
	"survey_unsatisfied" integer DEFAULT 0 NOT NULL,
	"survey_unanswered" integer DEFAULT 0 NOT NULL,
	"reopened" integer DEFAULT 0 NOT NULL,
	"closed" integer DEFAULT 0 NOT NULL,
	"closed_first_time" integer DEFAULT 0 NOT NULL,
	"escalated" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "stats_daily_day_grid_id_category_id_pk" PRIMARY KEY("day","grid_id","category_id")
);
--> statement-breakpoint
CREATE TABLE "stats_order_facts" (
	"order_id" integer PRIMARY KEY NOT NULL,
	"grid_id" integer NOT NULL,
	"category_id" integer NOT NULL,
	"facts" jsonb NOT NULL,
	"next_due_at" timestamp with time zone,
	"derived_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stats_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"refreshed_at" timestamp with time zone,
	"rebuilt_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "stats_order_facts" ADD CONSTRAINT "stats_order_facts_order_id_work_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."work_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stats_order_facts_due_idx" ON "stats_order_facts" USING btree ("next_due_at") WHERE "stats_order_facts"."next_due_at" is not null;
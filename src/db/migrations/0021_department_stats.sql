CREATE TABLE "stats_department_facts" (
	"order_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"day" date NOT NULL,
	"grid_id" integer NOT NULL,
	"dispatched" integer DEFAULT 0 NOT NULL,
	"assists" integer DEFAULT 0 NOT NULL,
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
	CONSTRAINT "stats_department_facts_order_id_department_id_day_pk" PRIMARY KEY("order_id","department_id","day")
);
--> statement-breakpoint
CREATE INDEX "stats_department_facts_day_idx" ON "stats_department_facts" USING btree ("day","department_id");
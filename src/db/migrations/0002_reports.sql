CREATE TABLE "reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"period_key" text NOT NULL,
	"unit_id" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"data" jsonb NOT NULL,
	"generated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_unit_id_grid_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."grid_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reports_kind_period_unit_idx" ON "reports" USING btree ("kind","period_key","unit_id");--> statement-breakpoint
CREATE INDEX "reports_kind_generated_idx" ON "reports" USING btree ("kind","generated_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "reports_unit_generated_idx" ON "reports" USING btree ("unit_id","generated_at" DESC NULLS FIRST);
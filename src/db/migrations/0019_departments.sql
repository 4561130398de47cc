CREATE TYPE "public"."department_calendar" AS ENUM('working', 'every_day');--> statement-breakpoint
CREATE TYPE "public"."department_kind" AS ENUM('department', 'company', 'property');--> statement-breakpoint
CREATE TYPE "public"."department_member_role" AS ENUM('handler', 'head');--> statement-breakpoint
CREATE TYPE "public"."dispatch_role" AS ENUM('lead', 'assist');--> statement-breakpoint
CREATE TYPE "public"."dispatch_status" AS ENUM('dispatched', 'signed', 'returned', 'resolved', 'withdrawn');--> statement-breakpoint
CREATE TABLE "department_members" (
	"id" serial PRIMARY KEY NOT NULL,
	"department_id" integer NOT NULL,
	"staff_id" integer NOT NULL,
	"role" "department_member_role" DEFAULT 'handler' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" "department_kind" NOT NULL,
	"unit_id" integer NOT NULL,
	"calendar" "department_calendar" DEFAULT 'working' NOT NULL,
	"sign_limit_hours" integer DEFAULT 2 NOT NULL,
	"limit_days" integer,
	"return_limit_hours" integer DEFAULT 24 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "departments_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "dispatch_catalogue" (
	"id" serial PRIMARY KEY NOT NULL,
	"category_id" integer NOT NULL,
	"unit_id" integer,
	"department_id" integer NOT NULL,
	"role" "dispatch_role" DEFAULT 'lead' NOT NULL,
	"keywords" text[] DEFAULT '{}' NOT NULL,
	"auto" boolean DEFAULT false NOT NULL,
	CONSTRAINT "dispatch_catalogue_unique" UNIQUE NULLS NOT DISTINCT("category_id","unit_id","department_id","keywords")
);
--> statement-breakpoint
CREATE TABLE "order_dispatches" (
	"id" serial PRIMARY KEY NOT NULL,
	"order_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"role" "dispatch_role" NOT NULL,
	"status" "dispatch_status" DEFAULT 'dispatched' NOT NULL,
	"dispatcher_unit_id" integer NOT NULL,
	"dispatched_by_staff_id" integer,
	"handler_staff_id" integer,
	"dispatched_at" timestamp with time zone NOT NULL,
	"sign_deadline_at" timestamp with time zone,
	"signed_at" timestamp with time zone,
	"return_deadline_at" timestamp with time zone,
	"deadline_at" timestamp with time zone,
	"returned_at" timestamp with time zone,
	"return_reason" text,
	"returned_by_staff_id" integer,
	"resolved_at" timestamp with time zone,
	"disputed" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "work_orders" ADD COLUMN "department_id" integer;--> statement-breakpoint
ALTER TABLE "department_members" ADD CONSTRAINT "department_members_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "department_members" ADD CONSTRAINT "department_members_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "departments" ADD CONSTRAINT "departments_unit_id_grid_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."grid_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispatch_catalogue" ADD CONSTRAINT "dispatch_catalogue_category_id_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispatch_catalogue" ADD CONSTRAINT "dispatch_catalogue_unit_id_grid_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."grid_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispatch_catalogue" ADD CONSTRAINT "dispatch_catalogue_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_dispatches" ADD CONSTRAINT "order_dispatches_order_id_work_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."work_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_dispatches" ADD CONSTRAINT "order_dispatches_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_dispatches" ADD CONSTRAINT "order_dispatches_dispatcher_unit_id_grid_units_id_fk" FOREIGN KEY ("dispatcher_unit_id") REFERENCES "public"."grid_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_dispatches" ADD CONSTRAINT "order_dispatches_dispatched_by_staff_id_staff_id_fk" FOREIGN KEY ("dispatched_by_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_dispatches" ADD CONSTRAINT "order_dispatches_handler_staff_id_staff_id_fk" FOREIGN KEY ("handler_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_dispatches" ADD CONSTRAINT "order_dispatches_returned_by_staff_id_staff_id_fk" FOREIGN KEY ("returned_by_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "department_members_unique" ON "department_members" USING btree ("department_id","staff_id");--> statement-breakpoint
CREATE INDEX "department_members_staff_idx" ON "department_members" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "departments_unit_idx" ON "departments" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "dispatch_catalogue_category_idx" ON "dispatch_catalogue" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "dispatch_catalogue_department_idx" ON "dispatch_catalogue" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "order_dispatches_order_idx" ON "order_dispatches" USING btree ("order_id","dispatched_at");--> statement-breakpoint
CREATE INDEX "order_dispatches_department_idx" ON "order_dispatches" USING btree ("department_id","dispatched_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "order_dispatches_department_open_idx" ON "order_dispatches" USING btree ("department_id","deadline_at") WHERE "order_dispatches"."status" in ('dispatched', 'signed');--> statement-breakpoint
CREATE UNIQUE INDEX "order_dispatches_one_open_lead" ON "order_dispatches" USING btree ("order_id") WHERE "order_dispatches"."role" = 'lead' and "order_dispatches"."status" in ('dispatched', 'signed');--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "work_orders_department_created_idx" ON "work_orders" USING btree ("department_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "work_orders"."department_id" is not null;--> statement-breakpoint
CREATE INDEX "work_orders_department_open_idx" ON "work_orders" USING btree ("department_id","deadline_at") WHERE "work_orders"."department_id" is not null and "work_orders"."status" in ('assigned', 'accepted');
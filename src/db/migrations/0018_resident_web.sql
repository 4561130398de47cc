CREATE TABLE "web_reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"address" text NOT NULL,
	"grid_id" integer NOT NULL,
	"resident_id" integer,
	"payload" jsonb NOT NULL,
	"outcome" text DEFAULT 'received' NOT NULL,
	"order_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "web_reports_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "web_tracking_links" (
	"id" serial PRIMARY KEY NOT NULL,
	"order_id" integer NOT NULL,
	"resident_id" integer NOT NULL,
	"nonce" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "web_reports" ADD CONSTRAINT "web_reports_grid_id_grid_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."grid_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "web_reports" ADD CONSTRAINT "web_reports_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "web_reports" ADD CONSTRAINT "web_reports_order_id_work_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."work_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "web_tracking_links" ADD CONSTRAINT "web_tracking_links_order_id_work_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."work_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "web_tracking_links" ADD CONSTRAINT "web_tracking_links_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "web_reports_address_idx" ON "web_reports" USING btree ("address","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "web_tracking_links_order_resident_idx" ON "web_tracking_links" USING btree ("order_id","resident_id");
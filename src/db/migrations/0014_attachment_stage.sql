ALTER TABLE "attachments" ADD COLUMN "stage" text DEFAULT 'report' NOT NULL;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "added_by_staff_id" integer;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_added_by_staff_id_staff_id_fk" FOREIGN KEY ("added_by_staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;
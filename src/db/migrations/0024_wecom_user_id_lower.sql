-- A WeCom userid is unique ignoring case, as WeCom's own userids are: an admin may now type it on the staff page,
-- and the callback finds the member by lower(userid) through this index.
ALTER TABLE "staff" DROP CONSTRAINT "staff_wecom_user_id_unique";--> statement-breakpoint
CREATE UNIQUE INDEX "staff_wecom_user_id_lower_idx" ON "staff" USING btree (lower("wecom_user_id"));

ALTER TYPE "public"."order_closure" ADD VALUE 'unsatisfied';--> statement-breakpoint
ALTER TYPE "public"."order_closure" ADD VALUE 'unrated';--> statement-breakpoint
ALTER TABLE "survey_answers" ALTER COLUMN "answer" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "survey_answers" ADD COLUMN "solved" boolean;--> statement-breakpoint
ALTER TABLE "stats_daily" ADD COLUMN "survey_unrated" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stats_daily" ADD COLUMN "survey_solved" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stats_daily" ADD COLUMN "survey_unsolved" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stats_monthly" ADD COLUMN "survey_unrated" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stats_monthly" ADD COLUMN "survey_solved" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stats_monthly" ADD COLUMN "survey_unsolved" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stats_weekly" ADD COLUMN "survey_unrated" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stats_weekly" ADD COLUMN "survey_solved" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "stats_weekly" ADD COLUMN "survey_unsolved" integer DEFAULT 0 NOT NULL;
-- The rollups are counters updated in place at every refresh: leave room on each page so an update stays on its
-- page (a HOT update, no index write) and a day's rows stay together for the day-range reads.
ALTER TABLE "stats_daily" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "stats_monthly" SET (fillfactor = 70);--> statement-breakpoint
ALTER TABLE "stats_weekly" SET (fillfactor = 70);

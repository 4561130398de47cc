-- No schema change: the points stored before this migration are brought into the one datum, WGS-84.
-- hand-written
-- Until now a point from a chat (WeChat location messages: GCJ-02) was stored as WeChat sent it, while Open311
-- points were stored as sent in WGS-84. Orders taken in a chat (channel group/direct), location attachments (only
-- ever taken from a chat) and the points of demands still held for an answer are converted here with the same
-- formula as gcoord's GCJ02ToWGS84 (iterate the forward transform until it lands within 1e-6°), outside the
-- China box left as they are, rounded to 1e-7° as storedPoint rounds. The function is dropped at the end.
CREATE FUNCTION "gl_gcj02_to_wgs84"(lon double precision, lat double precision) RETURNS double precision[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  a constant double precision := 6378245;
  ee constant double precision := 0.006693421622965823;
  wlon double precision := lon;
  wlat double precision := lat;
  x double precision; y double precision; dlat double precision; dlon double precision;
  radlat double precision; magic double precision; sqrtmagic double precision;
  dx double precision; dy double precision;
  i integer := 0;
BEGIN
  IF lon IS NULL OR lat IS NULL OR NOT (lon >= 72.004 AND lon <= 137.8347 AND lat >= 0.8293 AND lat <= 55.8271) THEN
    RETURN ARRAY[lon, lat];
  END IF;
  LOOP
    x := wlon - 105; y := wlat - 35;
    dlat := -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(abs(x));
    dlat := dlat + ((20 * sin(6 * x * pi()) + 20 * sin(2 * x * pi())) * 2) / 3;
    dlat := dlat + ((20 * sin(y * pi()) + 40 * sin((y / 3) * pi())) * 2) / 3;
    dlat := dlat + ((160 * sin((y / 12) * pi()) + 320 * sin((y * pi()) / 30)) * 2) / 3;
    dlon := 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(abs(x));
    dlon := dlon + ((20 * sin(6 * x * pi()) + 20 * sin(2 * x * pi())) * 2) / 3;
    dlon := dlon + ((20 * sin(x * pi()) + 40 * sin((x / 3) * pi())) * 2) / 3;
    dlon := dlon + ((150 * sin((x / 12) * pi()) + 300 * sin((x / 30) * pi())) * 2) / 3;
    radlat := wlat / 180 * pi();
    magic := 1 - ee * sin(radlat) * sin(radlat);
    sqrtmagic := sqrt(magic);
    dlon := (dlon * 180) / ((a / sqrtmagic) * cos(radlat) * pi());
    dlat := (dlat * 180) / (((a * (1 - ee)) / (magic * sqrtmagic)) * pi());
    dx := wlon + dlon - lon;
    dy := wlat + dlat - lat;
    EXIT WHEN (abs(dx) <= 1e-6 AND abs(dy) <= 1e-6) OR i >= 30;
    wlon := wlon - dx;
    wlat := wlat - dy;
    i := i + 1;
  END LOOP;
  RETURN ARRAY[round(wlon::numeric, 7)::double precision, round(wlat::numeric, 7)::double precision];
END;
$$;--> statement-breakpoint
UPDATE "work_orders" SET "lng" = p[1], "lat" = p[2]
FROM (SELECT "id" AS pid, "gl_gcj02_to_wgs84"("lng", "lat") AS p FROM "work_orders"
      WHERE "channel" IN ('group', 'direct') AND "lat" IS NOT NULL AND "lng" IS NOT NULL) AS c
WHERE "work_orders"."id" = c.pid;--> statement-breakpoint
UPDATE "attachments" SET "lng" = p[1], "lat" = p[2]
FROM (SELECT "id" AS pid, "gl_gcj02_to_wgs84"("lng", "lat") AS p FROM "attachments"
      WHERE "kind" = 'location' AND "lat" IS NOT NULL AND "lng" IS NOT NULL) AS c
WHERE "attachments"."id" = c.pid;--> statement-breakpoint
UPDATE "inbound_messages"
SET "payload" = jsonb_set(jsonb_set("payload", '{lng}', to_jsonb(p[1])), '{lat}', to_jsonb(p[2]))
FROM (SELECT "id" AS pid, "gl_gcj02_to_wgs84"(("payload"->>'lng')::double precision, ("payload"->>'lat')::double precision) AS p
      FROM "inbound_messages"
      WHERE "outcome" IN ('pending_duplicate', 'pending_vague', 'pending_grid', 'resolving')
        AND jsonb_typeof("payload"->'lat') = 'number' AND jsonb_typeof("payload"->'lng') = 'number') AS c
WHERE "inbound_messages"."id" = c.pid;--> statement-breakpoint
DROP FUNCTION "gl_gcj02_to_wgs84"(double precision, double precision);

-- Delivery of a scan's answer, tracked apart from its status: a worker can die after storing the
-- result and before Telegram got it; recovery re-sends what is done/failed but not delivered.
ALTER TABLE scans ADD COLUMN delivered_at TEXT;
ALTER TABLE scans ADD COLUMN delivery_claimed_at TEXT;
ALTER TABLE scans ADD COLUMN delivery_claimed_by TEXT;
ALTER TABLE scans ADD COLUMN delivery_attempts INTEGER NOT NULL DEFAULT 0;
-- The failure's message parameters (sizes, limits: never a value read from a document), so a
-- re-sent failure says exactly what the first one would have said.
ALTER TABLE scans ADD COLUMN error_params TEXT;
-- Scans that ended before this migration were answered by the code of their time.
UPDATE scans SET delivered_at = finished_at WHERE finished_at IS NOT NULL;
CREATE INDEX scans_undelivered ON scans (finished_at)
    WHERE delivered_at IS NULL AND status IN ('done', 'failed');

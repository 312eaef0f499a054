-- The last progress a running command heartbeated (elapsed, bytes of output, output tail),
-- mirrored from Temporal so reading a running job shows its partial output.
ALTER TABLE jobs ADD COLUMN progress_json TEXT;

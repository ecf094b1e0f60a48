-- Art. 5, 12, 30 (measures): the city and its six county-level divisions.
INSERT INTO "jurisdictions" ("code", "name", "parent", "updated_by") VALUES
  ('city', '晋城市', NULL, 'migration'),
  ('chengqu', '城区', 'city', 'migration'),
  ('zezhou', '泽州县', 'city', 'migration'),
  ('gaoping', '高平市', 'city', 'migration'),
  ('yangcheng', '阳城县', 'city', 'migration'),
  ('lingchuan', '陵川县', 'city', 'migration'),
  ('qinshui', '沁水县', 'city', 'migration')
ON CONFLICT ("code") DO NOTHING;
--> statement-breakpoint
-- Art. 6 (measures): a plan stored before versions existed becomes version 1 of its year, a draft:
-- nothing records that the city government approved it, so the BDB records the approval.
INSERT INTO "annual_plan_versions" ("year", "version", "status", "created_at", "created_by")
SELECT "year", 1, 'draft', min("updated_at"), 'migration' FROM "annual_plan_items" GROUP BY "year"
ON CONFLICT DO NOTHING;

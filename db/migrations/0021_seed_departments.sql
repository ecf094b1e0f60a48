-- The departments registry starts with every department code already in use (keys, accounts,
-- projects, plan items, plan filings), named by its code until the admin gives it its Chinese name;
-- its jurisdiction is the one its keys, accounts or projects act for (the city when none says).
INSERT INTO "departments" ("code", "name", "jurisdiction", "updated_by")
SELECT DISTINCT ON (u."code") u."code", u."code", coalesce(j."code", 'city'), 'migration'
FROM (
  SELECT "department" AS "code", "jurisdiction", 1 AS "rank" FROM "api_keys" WHERE "department" IS NOT NULL
  UNION ALL SELECT "department", "jurisdiction", 2 FROM "accounts" WHERE "department" IS NOT NULL
  UNION ALL SELECT DISTINCT "department", "jurisdiction", 3 FROM "projects"
  UNION ALL SELECT DISTINCT "department", NULL, 4 FROM "annual_plan_items"
  UNION ALL SELECT "department", "jurisdiction", 5 FROM "plan_filings" WHERE "department" IS NOT NULL
) u
LEFT JOIN "jurisdictions" j ON j."code" = u."jurisdiction"
WHERE u."code" <> ''
ORDER BY u."code", (j."code" IS NULL), u."rank"
ON CONFLICT ("code") DO NOTHING;

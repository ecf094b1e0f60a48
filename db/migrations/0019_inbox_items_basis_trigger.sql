-- 待办's rows carry the pending action's basis ('policy' when a local policy setting asks for it,
-- shared/DOMAIN.md "Two kinds of rule"), so the inbox labels it as the project page does.
CREATE OR REPLACE FUNCTION inbox_items_of_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.pending_actions IS NOT DISTINCT FROM OLD.pending_actions AND NEW.department IS NOT DISTINCT FROM OLD.department THEN
    RETURN NULL;
  END IF;
  DELETE FROM inbox_items WHERE project_id = NEW.id;
  INSERT INTO inbox_items (project_id, ordinal, role, department, action, ref, due_at, due_sort, overdue, basis)
  SELECT NEW.id, a.ordinal, a.value ->> 'role', NEW.department, a.value ->> 'action', a.value ->> 'ref',
         (a.value ->> 'dueAt')::timestamptz, coalesce((a.value ->> 'dueAt')::timestamptz, 'infinity'),
         coalesce((a.value ->> 'overdue')::boolean, false), a.value ->> 'basis'
  FROM jsonb_array_elements(NEW.pending_actions) WITH ORDINALITY AS a(value, ordinal)
  WHERE a.value ->> 'role' IS NOT NULL AND a.value ->> 'action' IS NOT NULL;
  RETURN NULL;
END
$$;
--> statement-breakpoint
UPDATE inbox_items i SET basis = a.value ->> 'basis'
FROM projects p CROSS JOIN LATERAL jsonb_array_elements(p.pending_actions) WITH ORDINALITY AS a(value, ordinal)
WHERE p.id = i.project_id AND a.ordinal = i.ordinal AND a.value ->> 'basis' IS NOT NULL;

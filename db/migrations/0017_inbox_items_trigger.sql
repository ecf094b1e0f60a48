-- 待办's rows (db/schema.ts inboxItems) follow projects.pending_actions: rewritten by this trigger in
-- the statement that writes the read model, and filled once from the rows already there.
CREATE FUNCTION inbox_items_of_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.pending_actions IS NOT DISTINCT FROM OLD.pending_actions AND NEW.department IS NOT DISTINCT FROM OLD.department THEN
    RETURN NULL;
  END IF;
  DELETE FROM inbox_items WHERE project_id = NEW.id;
  INSERT INTO inbox_items (project_id, ordinal, role, department, action, ref, due_at, due_sort, overdue)
  SELECT NEW.id, a.ordinal, a.value ->> 'role', NEW.department, a.value ->> 'action', a.value ->> 'ref',
         (a.value ->> 'dueAt')::timestamptz, coalesce((a.value ->> 'dueAt')::timestamptz, 'infinity'),
         coalesce((a.value ->> 'overdue')::boolean, false)
  FROM jsonb_array_elements(NEW.pending_actions) WITH ORDINALITY AS a(value, ordinal)
  WHERE a.value ->> 'role' IS NOT NULL AND a.value ->> 'action' IS NOT NULL;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER projects_inbox_items AFTER INSERT OR UPDATE OF pending_actions, department ON projects
  FOR EACH ROW EXECUTE FUNCTION inbox_items_of_project();
--> statement-breakpoint
INSERT INTO inbox_items (project_id, ordinal, role, department, action, ref, due_at, due_sort, overdue)
SELECT p.id, a.ordinal, a.value ->> 'role', p.department, a.value ->> 'action', a.value ->> 'ref',
       (a.value ->> 'dueAt')::timestamptz, coalesce((a.value ->> 'dueAt')::timestamptz, 'infinity'),
       coalesce((a.value ->> 'overdue')::boolean, false)
FROM projects p CROSS JOIN LATERAL jsonb_array_elements(p.pending_actions) WITH ORDINALITY AS a(value, ordinal)
WHERE a.value ->> 'role' IS NOT NULL AND a.value ->> 'action' IS NOT NULL;

/** Schema issues as the `errors` of a 400 validation_failed problem (docs/API.md "Errors"). */
import type { z } from 'zod';

export interface FieldError {
  path: string;
  message: string;
}

/** One error per field and message (zod may report the same one twice, e.g. through a union). */
export function issuesOf(error: z.ZodError, prefix?: string): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.') || (prefix ?? 'payload');
    const key = `${path}\u0001${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message: issue.message });
  }
  return out;
}

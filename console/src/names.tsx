/**
 * The names people read for department and jurisdiction codes: the departments and jurisdictions
 * registries (GET /v1/departments, GET /v1/jurisdictions), loaded once per session and reloaded
 * after the admin changes them. A code a registry lacks reads as itself. The lists that choose a
 * department or a jurisdiction in forms are in selects.tsx (kept out of the first load).
 */
import { useEffect, useState } from 'react';
import { api, ok } from './api.ts';
import type { components } from './api-types.ts';

export type Department = components['schemas']['Department'];
export type Jurisdiction = { code: string; name: string; parent: string | null };

interface Registry {
  departments: Department[];
  jurisdictions: Jurisdiction[];
}

let loaded: Registry | undefined;
let loading: Promise<void> | undefined;
const listeners = new Set<() => void>();

function load(): Promise<void> {
  loading ??= Promise.all([ok(api.GET('/v1/departments', {})), ok(api.GET('/v1/jurisdictions', {}))])
    .then(([d, j]) => {
      loaded = { departments: d.items, jurisdictions: j.items };
      for (const l of listeners) l();
    })
    .catch(() => {
      // Not signed in yet, or the API is away: codes read as themselves until the next load.
      loading = undefined;
    });
  return loading;
}

/** Reads the registries again (after the admin added or renamed a department or a jurisdiction). */
export function reloadNames(): Promise<void> {
  loading = undefined;
  return load();
}

export interface Names {
  /** The registries are loaded (until then a code reads as itself). */
  ready: boolean;
  departments: Department[];
  jurisdictions: Jurisdiction[];
  /** The department's Chinese name (the code while the registry has none). */
  department: (code: string | null | undefined) => string;
  jurisdiction: (code: string | null | undefined) => string;
}

/** The registries' names; `signedIn` false (the frame before sign-in) loads nothing yet. */
export function useNames(signedIn = true): Names {
  const [registry, setRegistry] = useState(loaded);
  useEffect(() => {
    const update = () => setRegistry(loaded);
    listeners.add(update);
    if (signedIn && !loaded) void load();
    else update();
    return () => {
      listeners.delete(update);
    };
  }, [signedIn]);
  const departments = registry?.departments ?? [];
  const jurisdictions = registry?.jurisdictions ?? [];
  return {
    ready: registry !== undefined,
    departments,
    jurisdictions,
    department: (code) => (code ? (departments.find((d) => d.code === code)?.name ?? code) : '—'),
    jurisdiction: (code) => (code ? (jurisdictions.find((j) => j.code === code)?.name ?? code) : '—'),
  };
}

/** The project as the API shows it (GET /v1/projects/{id}; the OpenAPI document's ProjectView). */
import type { components } from '../../api-types.ts';

export type ProjectView = components['schemas']['ProjectView'];
export type Role = ProjectView['pendingActions'][number]['role'];

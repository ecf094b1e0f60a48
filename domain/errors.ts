/**
 * A command the measures or the API contract refuse. `status` and `code` map 1:1 onto the
 * problem+json answer of docs/API.md "Errors": 400 validation_failed, 403 forbidden, 404 not_found,
 * 409 invalid_transition / already_exists / funds_suspended, 422 business refusals.
 */
export type RejectionStatus = 400 | 403 | 404 | 409 | 422;

export class Rejection extends Error {
  constructor(
    readonly status: RejectionStatus,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'Rejection';
  }
}

export const isRejection = (err: unknown): err is Rejection => err instanceof Rejection;

/**
 * What the rules of every article share: the refusals (422 business, 404 unknown id, 409 duplicate),
 * the Art. 22 termination ladder and the Art. 9 sharing refusal they cite, and the handler type.
 */
import type { CommandName, CommandPayloads } from '../commands.ts';
import type { ChangeContext } from '../context.ts';
import { Rejection } from '../errors.ts';

export const refuse = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new Rejection(422, code, message, details);
export const notFound = (what: string) => new Rejection(404, 'not_found', `No ${what}.`);
export const alreadyExists = (what: string) => new Rejection(409, 'already_exists', `${what} already exists.`);

/** Art. 22: the ladder termination needs, named in the refusal. */
export const ART22_LADDER =
  'Art. 22: termination only from suspension — rectification order with a deadline → not rectified by the deadline (拒不整改) or response rejected (整改后仍不符合) → disbursement suspended (暂停拨付) → termination';

/** Art. 9: the refusal of O&M money to a project that does not share data. */
export const sharingRefusal = (what: string) =>
  refuse(
    'sharing_noncompliant',
    `Art. 9: the project does not share data as required (latest evaluation or an open sharing-noncompliance rectification); no O&M ${what}.`,
  );

type Handler<K extends CommandName> = (ctx: ChangeContext, payload: CommandPayloads[K]) => void;
export type Handlers = { [K in CommandName]: Handler<K> };

/** Copies the named fields only (payloads from signals may carry extra ones). */
export function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = value[k];
  return out;
}

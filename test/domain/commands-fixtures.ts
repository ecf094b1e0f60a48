/** Shared pieces of the command unit tests (commands-*.test.ts). */
import { expect } from 'vitest';
import { COMMAND_NAMES, INTERNAL_COMMANDS } from '../../domain/commands.ts';
import { Rejection } from '../../domain/errors.ts';
import { ROLES } from '../../domain/vocabulary.ts';
import { actors } from './helpers.ts';

/** The commands of docs/API.md "Commands": every command but the internal ones the system sends itself. */
export const API_COMMANDS = COMMAND_NAMES.filter((n) => !(INTERNAL_COMMANDS as readonly string[]).includes(n));

export const actorOf = (role: (typeof ROLES)[number]) => (role === 'department' ? actors.department : actors[role]);

export function expectRejected(fn: () => unknown, status: number, code: string): Rejection {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(Rejection);
    const r = err as Rejection;
    expect({ status: r.status, code: r.code, message: r.message }).toMatchObject({ status, code });
    return r;
  }
  throw new Error(`expected a ${status} ${code} rejection`);
}

import {
  ForeignKeyConstraintViolationException,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { ConflictError } from './errors';

export interface ConstraintConflict {
  field?: string;
  message: string;
}

/**
 * Turns a constraint violation that slipped past a service's own check (two requests racing) into the
 * same CONFLICT the check would have given, by constraint name. Anything else is rethrown untouched, so
 * an unknown violation still reaches the formatter's generic mapping.
 */
export function rethrowConstraint(err: unknown, conflicts: Record<string, ConstraintConflict>): never {
  if (
    err instanceof UniqueConstraintViolationException ||
    err instanceof ForeignKeyConstraintViolationException
  ) {
    const name = (err as { constraint?: string }).constraint;
    const known = name ? conflicts[name] : undefined;
    if (known) throw new ConflictError(known.message, known.field);
  }
  if (err instanceof OptimisticLockError) {
    throw new ConflictError(
      'Someone else changed this record since you read it; reload it and apply your change again.',
      'expectedVersion',
    );
  }
  throw err;
}

/** The explicit half of optimistic locking: the client says which version its edit is based on. */
export function assertVersion(entity: string, current: number, expected: number | null | undefined): void {
  if (expected === undefined || expected === null || expected === current) return;
  throw new ConflictError(
    `${entity} is at version ${current}, not ${expected}: someone else changed it since you read it; reload and apply your change again.`,
    'expectedVersion',
  );
}

import { registerEnumType } from 'type-graphql';

/**
 * Shared by an import (data) and its integration run (primary): the two rows of one piece of work move
 * through the same states, so they share one enum rather than two that could drift apart.
 */
// Keys are the GraphQL names, hence upper case.
export enum RunStatus {
  PENDING = 'PENDING',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(RunStatus, { name: 'RunStatus', description: 'Where an import or integration run stands.' });

/** What a file import loads; also the kind of the integration run that records it. */
export enum ImportKind {
  CARRIERS = 'CARRIERS',
  DELIVERY_MATRIX = 'DELIVERY_MATRIX',
}
registerEnumType(ImportKind, { name: 'ImportKind' });

export const FINISHED_STATUSES: readonly RunStatus[] = [RunStatus.SUCCEEDED, RunStatus.FAILED];

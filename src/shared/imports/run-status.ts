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
  PREVIEWED = 'PREVIEWED',
  EXPIRED = 'EXPIRED',
}
// A status only moves forward: PENDING -> RUNNING -> SUCCEEDED or FAILED (FAILED may also come straight from
// PENDING or RUNNING when recovery finds the owning instance gone). A preview (ImportMode.PREVIEW) goes
// RUNNING -> PREVIEWED instead of SUCCEEDED, then PREVIEWED -> SUCCEEDED when applied, or -> EXPIRED.
registerEnumType(RunStatus, {
  name: 'RunStatus',
  description:
    'Where an import or integration run stands. It only moves forward: PENDING, RUNNING, then SUCCEEDED or ' +
    'FAILED; a preview goes RUNNING, PREVIEWED, then SUCCEEDED (applied) or EXPIRED.',
  valuesConfig: {
    PENDING: {
      description:
        'Accepted and waiting for a free import slot (IMPORT_CONCURRENCY per instance); the file is not read yet.',
    },
    RUNNING: { description: 'The file is being read and validated; rowsProcessed advances.' },
    SUCCEEDED: { description: 'Every row was valid and all of them were applied in one transaction.' },
    FAILED: {
      description:
        'Nothing was applied: a row or the file was rejected (see errors and errorSummary), the gateway ' +
        'stopped before the import finished, or an internal error.',
    },
    PREVIEWED: {
      description:
        'A preview (mode PREVIEW): every row was valid, the file is staged and laneChanges says what applying ' +
        'it would change; the matrix is untouched. applyImport applies it until previewExpiresAt.',
    },
    EXPIRED: {
      description:
        'A preview that was not applied before previewExpiresAt (IMPORT_PREVIEW_TTL_HOURS): its staged rows ' +
        'are removed and it can no longer be applied.',
    },
  },
});

/** What a file import loads; also the kind of the integration run that records it. */
export enum ImportKind {
  CARRIERS = 'CARRIERS',
  DELIVERY_MATRIX = 'DELIVERY_MATRIX',
}
registerEnumType(ImportKind, {
  name: 'ImportKind',
  description: 'What a file import loads; an integration run has the kind of the import it records.',
  valuesConfig: {
    CARRIERS: {
      description:
        'CSV carrier_code,carrier_name,service_code,service_name: upserts carriers and their services.',
    },
    DELIVERY_MATRIX: {
      description:
        'CSV carrier_code,service_code,origin_zip3,destination_zip3,transit_days: replaces the delivery matrix ' +
        'rows of every service in the file.',
    },
  },
});

export const FINISHED_STATUSES: readonly RunStatus[] = [RunStatus.SUCCEEDED, RunStatus.FAILED];

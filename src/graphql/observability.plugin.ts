import type { ApolloServerPlugin } from '@apollo/server';
import type { Metrics } from '../http/metrics';
import type { Logger } from '../platform/logger';
import type { GatewayContext } from './context';
import type { OperationLabels } from './persisted/operation-labels';

export interface RequestRecord {
  requestId: string | undefined;
  /** The operation name from the parsed document; null when unnamed or never parsed. */
  operation: string | null;
  userId: string | null;
  codes: string[];
  seconds: number;
}

/**
 * One log line and one histogram sample per GraphQL request: operation name, duration, user id, outcome
 * and error codes. Variables, headers and results are never logged: they carry passwords and tokens.
 * The log keeps the name as sent; the metric's label comes from a bounded set, so no client adds series.
 */
export function requestRecorder(logger: Logger, metrics: Metrics, labels: OperationLabels) {
  return ({ requestId, operation, userId, codes, seconds }: RequestRecord): void => {
    for (const code of codes) metrics.errors.inc({ code });
    const outcome = codes.length ? 'error' : 'ok';
    metrics.requestDuration.observe({ operation: labels.label(operation), outcome }, seconds);
    logger.info(
      {
        requestId,
        operation: operation ?? 'anonymous',
        durationMs: Math.round(seconds * 1e4) / 10,
        userId,
        outcome,
        ...(codes.length ? { errorCodes: codes } : {}),
      },
      'graphql request',
    );
  };
}

export type RecordRequest = ReturnType<typeof requestRecorder>;

/** Records every request Apollo answers (those refused before Apollo are recorded where they are refused). */
export function observabilityPlugin(record: RecordRequest): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ contextValue, operationName, response }) {
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          record({
            requestId: contextValue?.requestId,
            operation: operationName ?? null,
            userId: contextValue?.viewer?.userId ?? null,
            codes: errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')),
            seconds: Number(process.hrtime.bigint() - started) / 1e9,
          });
        },
      };
    },
  };
}

import type { ApolloServerPlugin } from '@apollo/server';
import type { Metrics } from '../http/metrics';
import type { Logger } from '../platform/logger';
import type { GatewayContext } from './context';

/**
 * One log line and one histogram sample per GraphQL request: operation name, duration, user id, outcome
 * and error codes. Variables, headers and results are never logged: they carry passwords and tokens.
 */
export function observabilityPlugin(logger: Logger, metrics: Metrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ contextValue, operationName, response }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN'));
          for (const code of codes) metrics.errors.inc({ code });
          const outcome = codes.length ? 'error' : 'ok';
          const operation = operationName ?? 'anonymous';
          metrics.requestDuration.observe({ operation, outcome }, seconds);
          logger.info(
            {
              requestId: contextValue?.requestId,
              operation,
              durationMs: Math.round(seconds * 1e4) / 10,
              userId: contextValue?.viewer?.userId ?? null,
              outcome,
              ...(codes.length ? { errorCodes: codes } : {}),
            },
            'graphql request',
          );
        },
      };
    },
  };
}

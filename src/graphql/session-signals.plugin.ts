import type { ApolloServerPlugin } from '@apollo/server';
import { SessionRejectedError } from '../primary/auth/auth.errors';
import type { GatewayContext } from './context';

const DESCRIPTIONS = { SESSION_EXPIRED: 'The session has expired', SESSION_INVALID: 'No such session' };

/**
 * RFC 6750's signal for a refused bearer token: `WWW-Authenticate: Bearer error="invalid_token"`, on the
 * responses whose errors carry that refusal (a `login` that ignored a stale token answers without it). The
 * status stays 200, as GraphQL over HTTP has it for application/json: a 401 reaches Apollo Client as a
 * network error, without the error's code and reason. Cookie credentials get no header: no HTTP
 * authentication scheme describes them.
 */
export function sessionSignalsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const refused = contextValue?.authError;
          if (!(refused instanceof SessionRejectedError) || refused.scheme !== 'bearer') return;
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          if (!errors.some((e) => e.extensions?.reason === refused.reason)) return;
          response.http.headers.set(
            'www-authenticate',
            `Bearer error="invalid_token", error_description="${DESCRIPTIONS[refused.reason]}"`,
          );
        },
      };
    },
  };
}

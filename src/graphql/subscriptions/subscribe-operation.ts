import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { readSubscribePayload } from '../persisted/document-request';
import { decide, type DocumentRules } from '../persisted/persisted-documents.middleware';

export interface OperationRules {
  schema: GraphQLSchema;
  persisted: DocumentRules;
  /** The query limits (src/graphql/limits), as for HTTP. */
  validationRules: readonly ValidationRule[];
  /** No "Did you mean …?" in validation errors (outside development), as Apollo does over HTTP. */
  hideSchemaDetails: boolean;
}

const refusal = (message: string, code: string, extra: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, ...extra } });

/** Apollo's codes for the same failures over HTTP, so a client handles both alike. */
const withCode = (errors: readonly GraphQLError[], code: string, hideSuggestions = false): GraphQLError[] =>
  errors.map(
    (e) =>
      new GraphQLError(hideSuggestions ? e.message.replace(/ ?Did you mean .+\?$/, '') : e.message, {
        nodes: e.nodes,
        source: e.source,
        positions: e.positions,
        originalError: e.originalError,
        extensions: { code, ...e.extensions },
      }),
  );

/**
 * What a subscribe message asks to run, checked as an HTTP request is: trusted documents (a manifest id
 * becomes its text; ad-hoc text refused in `require` mode), the token limit at parse, validation with the
 * depth, alias and cost limits. Only subscriptions run over the socket: queries and mutations go over
 * HTTP, with its CSRF protection, cookies and uploads.
 */
export function prepareOperation(
  payload: SubscribePayload,
  rules: OperationRules,
): { document: DocumentNode } | GraphQLError[] {
  let text = payload.query;
  const request = readSubscribePayload(payload as unknown as Record<string, unknown>, (t) => {
    text = t;
  });
  const refused = decide(request, rules.persisted);
  if (refused) return [refusal(refused.message, refused.code)];
  let document: DocumentNode;
  try {
    document = parse(text, { maxTokens: rules.persisted.maxTokens });
  } catch (err) {
    if (err instanceof GraphQLError) return withCode([err], 'GRAPHQL_PARSE_FAILED');
    throw err;
  }
  const errors = validate(rules.schema, document, [...specifiedRules, ...rules.validationRules]);
  if (errors.length) return withCode(errors, 'GRAPHQL_VALIDATION_FAILED', rules.hideSchemaDetails);
  const operation = getOperationAST(document, payload.operationName);
  if (!operation) {
    return [
      refusal('Name the operation to run (operationName) among those the document holds.', 'BAD_REQUEST'),
    ];
  }
  if (operation.operation !== 'subscription') {
    return [
      refusal(
        `Only subscriptions run over the WebSocket; send this ${operation.operation} over HTTP (POST /graphql).`,
        'BAD_REQUEST',
      ),
    ];
  }
  return { document };
}

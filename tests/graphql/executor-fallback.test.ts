import { Writable } from 'node:stream';
import { createHash } from 'node:crypto';
import { GraphQLError, execute, getOperationAST, parse, type GraphQLSchema } from 'graphql';
import { compileQuery } from 'graphql-jit';
import { buildGatewaySchema } from '../../src/graphql/schema';
import {
  createQueryExecutor,
  type Compile,
  type ExecutorRequest,
  type QueryExecutor,
} from '../../src/graphql/execution/executor';
import { createLogger } from '../../src/platform/logger';

/** `me` is served from the context, without a database: what the executor does around it is under test. */
const QUERY = '{ me { id email name isActive } }';
const OTHER = '{ me { email } }';
const INTROSPECTION = '{ __type(name: "Facility") { name kind fields { name } } __typename }';
const context = {
  authError: null,
  viewer: { userId: '6f1c7a52-3a43-4d2a-9c39-0c6c1f2b8e10', email: 'a@example.com', name: 'A' },
};

function logSink() {
  const lines: Array<{ level: number; msg: string }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  return { lines, logger: createLogger('warn', stream) };
}

/** What Apollo hands its gateway executor for a document it has parsed and validated. */
function requestFor(text: string): ExecutorRequest {
  const document = parse(text);
  return {
    request: { query: text },
    document,
    operation: getOperationAST(document)!,
    operationName: null,
    queryHash: createHash('sha256').update(text).digest('hex'),
    source: text,
    context,
  } as unknown as ExecutorRequest;
}

describe('the query executor', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildGatewaySchema();
  });

  const run = async (executor: QueryExecutor, text: string) => {
    const { executor: exec } = await executor.gateway.load({ apollo: {} });
    return exec!(requestFor(text));
  };
  const reference = (text: string) => execute({ schema, document: parse(text), contextValue: context });

  it('runs a document that does not compile on graphql-js, and does not try to compile it again', async () => {
    const { lines, logger } = logSink();
    let calls = 0;
    const failing: Compile = () => {
      calls += 1;
      return { errors: [new GraphQLError('cannot compile this')] };
    };
    const executor = createQueryExecutor({ schema, kind: 'jit', logger, compile: failing });
    expect(await run(executor, QUERY)).toEqual(await reference(QUERY));
    expect(await run(executor, QUERY)).toEqual(await reference(QUERY));
    expect(calls).toBe(1);
    expect(executor.stats()).toMatchObject({ compiled: 0, interpreted: 2, compileFailures: 1 });
    expect(lines.filter((l) => l.msg === 'query did not compile; it runs on graphql-js')).toHaveLength(1);
  });

  it('falls back for good when the compiled code itself throws', async () => {
    const { lines, logger } = logSink();
    const crashing: Compile = (s, d, name) => {
      const real = compileQuery(s, d, name);
      return 'query' in real
        ? {
            ...real,
            query: () => {
              throw new Error('compiled code failed');
            },
          }
        : real;
    };
    const executor = createQueryExecutor({ schema, kind: 'jit', logger, compile: crashing });
    expect(await run(executor, QUERY)).toEqual(await reference(QUERY));
    expect(await run(executor, QUERY)).toEqual(await reference(QUERY));
    expect(executor.stats()).toMatchObject({ compiled: 0, interpreted: 2 });
    expect(lines.filter((l) => l.level === 50)).toHaveLength(1);
  });

  it('compiles each document once while it stays among the most recently used', async () => {
    let calls = 0;
    const counting: Compile = (s, d, name) => ((calls += 1), compileQuery(s, d, name));
    const executor = createQueryExecutor({
      schema,
      kind: 'jit',
      logger: createLogger('silent'),
      compile: counting,
      capacity: 1,
    });
    expect(await run(executor, QUERY)).toEqual(await reference(QUERY));
    await run(executor, QUERY);
    expect(calls).toBe(1);
    await run(executor, OTHER); // evicts QUERY
    await run(executor, QUERY);
    expect(calls).toBe(3);
    expect(executor.stats()).toMatchObject({ compiled: 4, interpreted: 0, cachedDocuments: 1 });
  });

  it('leaves introspection to graphql-js: compiling it costs more than it saves', async () => {
    let calls = 0;
    const counting: Compile = (s, d, name) => ((calls += 1), compileQuery(s, d, name));
    const executor = createQueryExecutor({
      schema,
      kind: 'jit',
      logger: createLogger('silent'),
      compile: counting,
    });
    expect(await run(executor, INTROSPECTION)).toEqual(await reference(INTROSPECTION));
    expect(calls).toBe(0);
    expect(executor.stats()).toMatchObject({ compiled: 0, interpreted: 1 });
  });

  it('compiles nothing with GRAPHQL_EXECUTOR=graphql-js', async () => {
    let calls = 0;
    const counting: Compile = (s, d, name) => ((calls += 1), compileQuery(s, d, name));
    const executor = createQueryExecutor({
      schema,
      kind: 'graphql-js',
      logger: createLogger('silent'),
      compile: counting,
    });
    expect(await run(executor, QUERY)).toEqual(await reference(QUERY));
    expect(calls).toBe(0);
  });
});

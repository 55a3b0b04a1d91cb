import type { DomainName } from '../domains';

/** Hears each statement with its `?` placeholders and their values (tests EXPLAIN what the API sent). */
export type StatementListener = (domain: DomainName, sql: string, params: readonly unknown[]) => void;

/**
 * Counts SQL statements per database, fed by each ORM's `onQuery` hook (every statement the
 * ORM sends, transaction control excepted). Tests assert N+1-free resolvers with it; /metrics exports it.
 */
export class StatementCounter {
  private readonly counts: Record<DomainName, number> = { primary: 0, data: 0 };
  private readonly listeners: StatementListener[] = [];

  record(domain: DomainName, sql: string, params: readonly unknown[] = []): void {
    this.counts[domain] += 1;
    for (const listener of this.listeners) listener(domain, sql, params);
  }

  onStatement(listener: StatementListener): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  snapshot(): Record<DomainName, number> {
    return { ...this.counts };
  }
}

import type { DomainName } from '../domains';

/**
 * Counts SQL statements per database, fed by each ORM's `onQuery` hook (every statement the
 * ORM sends, transaction control excepted). Tests assert N+1-free resolvers with it; /metrics exports it.
 */
export class StatementCounter {
  private readonly counts: Record<DomainName, number> = { primary: 0, data: 0 };
  private readonly listeners: Array<(domain: DomainName, sql: string) => void> = [];

  record(domain: DomainName, sql: string): void {
    this.counts[domain] += 1;
    for (const listener of this.listeners) listener(domain, sql);
  }

  onStatement(listener: (domain: DomainName, sql: string) => void): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  snapshot(): Record<DomainName, number> {
    return { ...this.counts };
  }
}

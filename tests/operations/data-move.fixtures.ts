import { Client } from 'pg';
import { openDatabases } from '../../src/db/open-databases';
import { type DatabaseUrls } from '../../src/platform/db/databases';
import { migrateAll } from '../../src/db/migrate';
import type { MoveOutput } from '../../src/operations/data-move/move-session';

export async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function migrate(urls: DatabaseUrls): Promise<void> {
  const dbs = await openDatabases(urls, { pool: { primary: 2, data: 2 } });
  try {
    await migrateAll(dbs);
  } finally {
    await dbs.close();
  }
}

/**
 * Test-only tables the migrations don't have, created on every database a test moves through (the target's
 * migrations won't make them): integer keys crossing digit counts between batches, an owned sequence, a
 * trigger that would rewrite rows if the copy let it fire, a table whose rows point at later rows and hold an
 * array of a user-defined type.
 */
export async function createExtraTables(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(`create schema if not exists data`);
    await c.query(`create table data.test_event (
      id bigserial primary key, kind text not null, payload jsonb, amount numeric(12, 2), ratio double precision,
      happened_at timestamptz not null default now(), note text)`);
    await c.query(`create function data.test_event_stamp() returns trigger language plpgsql as
      $$ begin new.note := 'written by trigger'; return new; end $$`);
    await c.query(`create trigger test_event_stamp before insert on data.test_event
      for each row execute function data.test_event_stamp()`);
    // A user-defined type, and an array of it: its OID differs between databases, which binary COPY embeds.
    await c.query(`create type data.test_mood as enum ('calm', 'busy', 'late')`);
    await c.query(
      `create table data.test_tree (id int primary key, parent_id int references data.test_tree (id), label text,
         moods data.test_mood[])`,
    );
    // A partitioned table, copied through its parent, and a foreign key to it (which PostgreSQL splits into
    // one constraint per partition under the declared one).
    await c.query(`create table data.test_part (id int primary key, label text) partition by range (id)`);
    await c.query(`create table data.test_part_low partition of data.test_part for values from (0) to (100)`);
    await c.query(
      `create table data.test_part_high partition of data.test_part for values from (100) to (1000)`,
    );
    await c.query(
      `create table data.test_part_ref (id int primary key, part_id int not null references data.test_part (id))`,
    );
  });
}

/** Rows in every table of both schemas; `services` carrier services make the one table long enough to batch. */
export async function seedSource(url: string, services: number): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(`insert into core."user" (id, email, name, password_hash, last_login_at)
      select gen_random_uuid(), 'user' || i || '@example.com', 'User ' || i, 'argon2id$' || md5(i::text),
             case when i % 2 = 0 then now() - i * interval '1 hour' end
      from generate_series(1, 25) i`);
    await c.query(
      `insert into core.role (id, name, description) values (gen_random_uuid(), 'auditor', 'reads, with ''quotes'', commas, and "doubles"')`,
    );
    await c.query(`insert into core.role_permission select r.id, p.code from core.role r, core.permission p
      where r.name = 'auditor' and p.code like '%:read'`);
    await c.query(
      `insert into core.user_role select u.id, r.id from core."user" u join core.role r on r.name in ('admin', 'auditor')`,
    );
    await c.query(`insert into core.session (id, user_id, expires_at)
      select encode(sha256(u.id::text::bytea), 'hex'), u.id, now() + interval '30 days' from core."user" u`);
    // Mixed case sorts differently under "C" and ICU collations: text keys must still check out.
    await c.query(`insert into core.login_attempt (key, failures)
      values ('ip:10.0.0.1', 3), ('IP:10.0.0.2', 1), ('email:Ünïcode@example.com', 1), ('Email:z@example.com', 2)`);
    await c.query(`insert into data.carrier (id, code, name) values
      (gen_random_uuid(), 'UPS', 'United Parcel Service'), (gen_random_uuid(), 'FEDEX', 'FedEx'),
      (gen_random_uuid(), 'USPS', 'Postal Service\\ with a backslash'), (gen_random_uuid(), 'DHL', E'tab\\there')`);
    await c.query(
      `insert into data.carrier_service (id, carrier_id, code, name)
       select gen_random_uuid(), c.id, 'S' || i, 'Service ' || i || ' of ' || c.code
       from data.carrier c, generate_series(1, ceil($1::int / 4.0)::int) i limit $1`,
      [services],
    );
    // The delivery matrix as imports leave it: the first service in a partition of its own, the second's
    // lanes in the DEFAULT partition. The move must recreate the partition, not pour both into DEFAULT.
    await c.query(`do $$ declare s uuid; begin
      select id into s from data.carrier_service order by id limit 1;
      execute format('create table data.%I partition of data.delivery_matrix_entry for values in (%L)',
                     'delivery_matrix_entry_' || replace(s::text, '-', ''), s);
    end $$`);
    await c.query(`insert into data.delivery_matrix_entry
      select lpad((k / 100)::text, 3, '0'), lpad((k % 100)::text, 3, '0'), s.id, k % 31
        from (select id from data.carrier_service order by id limit 2) s, generate_series(0, 499) k`);
    await c.query(`insert into data.test_event (kind, payload, amount, ratio, happened_at)
      select 'kind-' || (i % 7), jsonb_build_object('i', i, 'tags', jsonb_build_array('a', 'b')),
             i * 1.25, 1.0 / i, timestamptz '2026-01-01 00:00:00.123456+00' + i * interval '1 minute'
      from generate_series(1, 7500) i`);
    // Written by the trigger on insert, then put back: the move must carry these exact values.
    await c.query(`update data.test_event set note = null where id % 3 = 0`);
    // Drawn but deleted ids must not be handed out again after the move.
    await c.query(`delete from data.test_event where id > 7490`);
    await c.query(
      `insert into data.test_tree (id, parent_id, label, moods)
       select i, null, 'root ' || i, array['calm', 'late']::data.test_mood[] from generate_series(1, 10) i`,
    );
    await c.query(`update data.test_tree set parent_id = id + 1 where id < 10`);
    await c.query(`insert into data.test_part select i, 'part ' || i from generate_series(1, 300) i`);
    await c.query(`insert into data.test_part_ref select i, 301 - i from generate_series(1, 300) i`);
  });
}

/**
 * What each table holds, by an independent route (row order by hash, not by key): used to prove a round
 * trip changed nothing, without trusting the checksum under test.
 */
export async function fingerprint(url: string, schemas = ['core', 'data']): Promise<Record<string, string>> {
  return withClient(url, async (c) => {
    const { rows: tables } = await c.query<{ name: string }>(
      `select table_schema || '.' || quote_ident(table_name) as name from information_schema.tables
       where table_schema = any($1) and table_type = 'BASE TABLE'
         and table_name not in ('mikro_orm_migrations', 'data_move_progress') order by 1`,
      [schemas],
    );
    const prints: Record<string, string> = {};
    for (const { name } of tables) {
      const { rows } = await c.query(
        `select count(*) || ' ' || coalesce(md5(string_agg(h, '' order by h)), '-') as print
         from (select md5(t::text) as h from ${name} t) x`,
      );
      prints[name] = rows[0].print as string;
    }
    return prints;
  });
}

export function collectOutput(): MoveOutput & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (l) => lines.push(l), progress: (l) => lines.push(l) };
}

/** Every foreign key of the schemas, as `table name definition`: what a target must end up with. */
export async function foreignKeys(url: string, schemas: string[]): Promise<string[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ fk: string }>(
      `select n.nspname || '.' || c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) as fk
       from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
       where k.contype = 'f' and n.nspname = any($1) order by 1`,
      [schemas],
    );
    return rows.map((r) => r.fk);
  });
}

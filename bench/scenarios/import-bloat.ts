import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { importFile, writeLines } from './import';
import { atLeast, atMost, info, type Scenario } from '../support/scenario';

const MATRIX_HEADER = 'carrier_code,service_code,origin_zip3,destination_zip3,transit_days';
const CARRIER = 'BLOAT';
const SERVICE = 'GROUND';
const IMPORTS = 10;

/** The whole matrix (every partition, with its indexes and TOAST), and the one service's partition. */
const SIZES_SQL = `select coalesce(sum(pg_total_relation_size(t.relid)), 0)::bigint as total,
    coalesce(sum(pg_total_relation_size(t.relid)) filter (where t.relid = to_regclass($1)), 0)::bigint as service
  from pg_partition_tree('"data"."delivery_matrix_entry"'::regclass) t`;

/** A lane read as a client's delivery options query reads it: one probe of every partition's primary key. */
const READ_SQL = `select count(*) from "data"."delivery_matrix_entry" where origin_zip3 = '000' and destination_zip3 = '001'`;

/**
 * Ten successive imports of the same 1,000,000-row carrier service through `importDeliveryMatrix`, with no
 * VACUUM anywhere: the size of the matrix (pg_total_relation_size over the table and its partitions) after
 * the tenth against after the first. A reader on its own connection runs the same lane query in a loop
 * throughout; the longest single read is the time the swap held readers off (the matrix's ACCESS EXCLUSIVE
 * from the DROP of the old partition to commit), plus one ordinary read.
 */
export const importBloatScenario: Scenario = {
  name: 'import-bloat',
  title: 'Import bloat: ten successive imports of one 1,000,000-row carrier service',
  async run(ctx) {
    const rows = ctx.quick ? 100_000 : 1_000_000;
    const dataUrl = ctx.server.urlFor(ctx.primaryDatabase.replace(/_primary$/, '_data'));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-import-bloat-'));
    const carriersFile = path.join(dir, 'carriers.csv');
    const gateway = await ctx.startGateway('on');
    const reader = new Client({ connectionString: dataUrl });
    await reader.connect();
    try {
      await writeLines(carriersFile, 'carrier_code,carrier_name,service_code,service_name', 1, () =>
        [CARRIER, 'Bloat bench carrier', SERVICE, 'Ground'].join(','),
      );
      await importFile(gateway, ctx.admin.token, 'importCarriers', carriersFile, 1);
      const {
        rows: [{ id }],
      } = await reader.query<{ id: string }>(
        `select s.id from data.carrier_service s join data.carrier c on c.id = s.carrier_id
          where c.code = $1 and s.code = $2`,
        [CARRIER, SERVICE],
      );
      const partition = `"data"."delivery_matrix_entry_${id.replace(/-/g, '')}"`;
      const sizes: Array<{ total: number; service: number }> = [];
      const seconds: number[] = [];
      const longestReads: number[] = [];
      const readCounts: number[] = [];
      for (let run = 0; run < IMPORTS; run += 1) {
        // Each file changes every lane's transit days, so every import really replaces the rows.
        const file = path.join(dir, `matrix-${run}.csv`);
        await writeLines(file, MATRIX_HEADER, rows, (k) => {
          const origin = String(Math.floor(k / 1000)).padStart(3, '0');
          const destination = String(k % 1000).padStart(3, '0');
          return `${CARRIER},${SERVICE},${origin},${destination},${(k + run) % 31}`;
        });
        let importing = true;
        let longest = 0;
        let reads = 0;
        const loop = (async () => {
          while (importing) {
            const started = process.hrtime.bigint();
            await reader.query(READ_SQL);
            longest = Math.max(longest, Number(process.hrtime.bigint() - started) / 1e6);
            reads += 1;
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
        })();
        try {
          seconds.push(
            (await importFile(gateway, ctx.admin.token, 'importDeliveryMatrix', file, rows)).seconds,
          );
        } finally {
          importing = false;
          await loop;
        }
        rmSync(file, { force: true });
        longestReads.push(longest);
        readCounts.push(reads);
        const [size] = (await reader.query<{ total: string; service: string }>(SIZES_SQL, [partition])).rows;
        sizes.push({ total: Number(size!.total), service: Number(size!.service) });
      }
      const stats = await gateway.stats();
      const mb = (bytes: number) => bytes / (1024 * 1024);
      const first = sizes[0]!;
      const last = sizes.at(-1)!;
      const sorted = [...longestReads].sort((a, b) => a - b);
      return {
        name: this.name,
        title: this.title,
        status: 'done',
        measurements: [],
        checks: [
          info('matrix size after the first import MB', mb(first.total)),
          info(`matrix size after import ${IMPORTS} MB`, mb(last.total)),
          atMost(`matrix size after import ${IMPORTS} / after the first`, last.total / first.total, 1.1),
          info('service partition MB, first', mb(first.service)),
          info(`service partition MB, import ${IMPORTS}`, mb(last.service)),
          info(
            'largest matrix size seen / after the first',
            Math.max(...sizes.map((s) => s.total)) / first.total,
          ),
          atMost('gateway peak RSS MB', mb(stats.maxRssBytes), 300, 0),
          info('import seconds, median', [...seconds].sort((a, b) => a - b)[Math.floor(seconds.length / 2)]!),
          info(
            'longest read during an import ms, median of the imports',
            sorted[Math.floor(sorted.length / 2)]!,
          ),
          info('longest read during an import ms, worst', sorted.at(-1)!),
          atLeast('reads per import, fewest', Math.min(...readCounts), 10, 0),
        ],
        notes: [
          `${IMPORTS} imports of the same ${rows.toLocaleString('en-US')}-row file shape (one carrier service, every lane's transit days changed each time) through \`importDeliveryMatrix\` on one fresh gateway process, one after the other, no VACUUM run by the scenario (autovacuum as the server has it).`,
          'Size: `pg_total_relation_size` summed over `pg_partition_tree(data.delivery_matrix_entry)` (the table, every partition, their indexes and TOAST), including the lanes earlier scenarios left in other partitions; the service partition alone is listed too.',
          `Reads: a client on its own connection runs \`${READ_SQL}\` in a loop (2 ms apart) during each import; the longest single read is how long the swap kept readers waiting, plus one read.`,
          'Sizes per import (MB): ' + sizes.map((s) => mb(s.total).toFixed(1)).join(', '),
          'Longest read per import (ms): ' + longestReads.map((v) => v.toFixed(0)).join(', '),
        ],
      };
    } finally {
      await reader.end();
      await gateway.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

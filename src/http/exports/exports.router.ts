import { Router, type Request, type Response } from 'express';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  carriersFile,
  deliveryMatrixFile,
  importErrorsFile,
  resolveMatrixScope,
  type ExportFile,
} from '../../data/exports/export-files';
import { EXPORT_ROUTES } from '../../data/exports/export-paths';
import type { Databases } from '../../platform/db/databases';
import { logDatabaseFailure } from '../../platform/db/failure-log';
import { isConnectionError } from '../../platform/errors/db-errors';
import { AppError, BadUserInputError, DatabaseUnavailableError } from '../../platform/errors/errors';
import type { Logger } from '../../platform/logger';
import { callerFor } from '../../primary/auth/authenticate';
import type { PrimaryServices } from '../../primary/primary.services';
import { requirePermissions } from '../../shared/permissions/authorization';
import { Permission, type PermissionCode } from '../../shared/permissions/permissions';
import { csvHeaders, streamCsv } from './csv-download';
import { sendExportError } from './export-errors';
import { ExportSlots } from './export-slots';

export interface ExportsDeps {
  dbs: Databases;
  primary: PrimaryServices;
  logger: Logger;
  /** EXPORT_CONCURRENCY */
  concurrency: number;
  /** REQUEST_TIMEOUT_MS: how long a client may leave a download unread. */
  stallMs: number;
}

interface ExportRoute {
  kind: string;
  permission: PermissionCode;
  /** The query parameters this route takes; any other is a BAD_USER_INPUT. */
  parameters: readonly string[];
  file(em: EntityManager, query: Record<string, string>, req: Request): ExportFile | Promise<ExportFile>;
}

const ROUTES: Record<string, ExportRoute> = {
  [EXPORT_ROUTES.deliveryMatrix]: {
    kind: 'delivery-matrix',
    permission: Permission.ExportsRead,
    parameters: ['carrier', 'service'],
    file: async (em, q) => deliveryMatrixFile(await resolveMatrixScope(em, q.carrier, q.service)),
  },
  [EXPORT_ROUTES.carriers]: {
    kind: 'carriers',
    permission: Permission.ExportsRead,
    parameters: [],
    file: () => carriersFile(),
  },
  [EXPORT_ROUTES.importErrors]: {
    kind: 'import-errors',
    permission: Permission.ImportsRead,
    parameters: [],
    file: (em, _q, req) => importErrorsFile(em, String(req.params.id)),
  },
};

/** One value per parameter the route knows, each given once; anything else is refused by name. */
function queryOf(req: Request, allowed: readonly string[]): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.query)) {
    if (!allowed.includes(name)) {
      const known = allowed.length ? `this download takes ${allowed.join(' and ')}` : 'it takes none';
      throw new BadUserInputError(name, `is not a parameter of this download (${known}).`);
    }
    if (typeof value !== 'string') throw new BadUserInputError(name, 'must be given once, as text.');
    query[name] = value;
  }
  return query;
}

/**
 * GET /exports/…: CSV downloads in the import formats (docs/EXPORTS.md). The caller is authenticated as on
 * /graphql (bearer token or session cookie) and needs the route's permission. GETs only, and none of them
 * writes: nothing here needs CSRF protection.
 */
export function exportsRouter(deps: ExportsDeps): Router {
  const router = Router();
  const slots = new ExportSlots(deps.concurrency);
  for (const [path, route] of Object.entries(ROUTES)) {
    router.get(path, (req, res) => serve(route, req, res, deps, slots));
  }
  return router;
}

async function serve(route: ExportRoute, req: Request, res: Response, deps: ExportsDeps, slots: ExportSlots) {
  let free = () => {};
  try {
    const caller = await callerFor(
      { authorization: req.headers.authorization, cookie: req.headers.cookie },
      deps.primary,
      () => deps.dbs.fork('primary'),
      deps.logger,
    );
    requirePermissions(caller, [route.permission]);
    const em = deps.dbs.fork('data');
    const file = await route.file(em, queryOf(req, route.parameters), req);
    // Express answers HEAD with the GET route: the checks above ran, the COPY need not.
    if (req.method === 'HEAD') {
      res.status(200).set(csvHeaders(file)).end();
      return;
    }
    free = slots.take();
    const label = { export: route.kind, userId: caller.viewer!.userId };
    await streamCsv(res, em, file, { stallMs: deps.stallMs, logger: deps.logger, label });
  } catch (err) {
    if (res.headersSent || res.destroyed) return;
    if (err instanceof AppError) return sendExportError(res, err);
    if (isConnectionError(err)) {
      logDatabaseFailure(deps.logger, 'data', err);
      return sendExportError(res, new DatabaseUnavailableError('data', err));
    }
    deps.logger.error({ err, export: route.kind }, 'unexpected error in an export');
    res.status(500).set('cache-control', 'no-store');
    res.json({
      errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
  } finally {
    free();
  }
}

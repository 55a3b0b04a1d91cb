import type { EntityClass } from '@mikro-orm/core';
import { CarrierService } from './carriers/carrier-service.entity';
import { Carrier } from './carriers/carrier.entity';
import { DeliveryMatrixEntry } from './delivery/delivery-matrix-entry.entity';
import { ImportError } from './imports/import-error.entity';
import { ImportPreviewRow } from './imports/previews/import-preview-row.entity';
import { ImportPreviewService } from './imports/previews/import-preview-service.entity';
import { WorkspaceImport } from './imports/workspace-import.entity';

/** Every entity of the data database. The primary ORM never sees these. */
export const dataEntities: EntityClass<unknown>[] = [
  Carrier,
  CarrierService,
  DeliveryMatrixEntry,
  WorkspaceImport,
  ImportError,
  ImportPreviewRow,
  ImportPreviewService,
];

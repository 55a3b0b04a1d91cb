import { CarrierServiceResolver } from './carriers/carrier-service.resolver';
import { CarrierResolver } from './carriers/carrier.resolver';
import { DeliveryOptionsResolver } from './delivery/delivery-options.resolver';
import {
  CarrierExportLinkResolver,
  CarrierServiceExportLinkResolver,
  ExportLinksResolver,
  ImportExportLinkResolver,
} from './exports/export-links.resolver';
import { ImportResolver } from './imports/import.resolver';
import {
  ImportLaneChangesResolver,
  ServiceLaneChangesResolver,
} from './imports/previews/lane-changes.resolver';
import { ImportSubscriptionResolver } from './imports/import-subscription.resolver';
import { DataInfoResolver } from './system/data-info.resolver';

/** Every resolver class of the data domain, in one list the schema builder takes. */
export const dataResolvers = [
  CarrierResolver,
  CarrierServiceResolver,
  DeliveryOptionsResolver,
  ImportResolver,
  ImportLaneChangesResolver,
  ServiceLaneChangesResolver,
  ImportSubscriptionResolver,
  DataInfoResolver,
  ExportLinksResolver,
  CarrierExportLinkResolver,
  CarrierServiceExportLinkResolver,
  ImportExportLinkResolver,
] as const;

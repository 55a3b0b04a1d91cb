/**
 * Where the CSV downloads are served (src/http/exports/), as relative URLs: the GraphQL link fields give
 * them out, and a client resolves them against the gateway it already talks to.
 */
export const EXPORT_ROUTES = {
  deliveryMatrix: '/exports/delivery-matrix.csv',
  carriers: '/exports/carriers.csv',
  importErrors: '/exports/imports/:id/errors.csv',
} as const;

/** The whole matrix, one carrier's lanes, or one service's. */
export function deliveryMatrixExportUrl(carrierCode?: string, serviceCode?: string): string {
  const query = new URLSearchParams();
  if (carrierCode) query.set('carrier', carrierCode);
  if (serviceCode) query.set('service', serviceCode);
  const text = query.toString();
  return text ? `${EXPORT_ROUTES.deliveryMatrix}?${text}` : EXPORT_ROUTES.deliveryMatrix;
}

export function importErrorsExportUrl(importId: string): string {
  return EXPORT_ROUTES.importErrors.replace(':id', encodeURIComponent(importId));
}

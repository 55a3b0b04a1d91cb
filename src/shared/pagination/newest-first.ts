import type { CursorValue } from './pagination';

/**
 * Keyset filter for lists sorted newest first: (timestamp desc, id desc), the cursor being
 * [ISO timestamp, id]. The (timestamp, id) index serves it read backwards.
 */
export function newestFirstAfter(after: CursorValue[] | null, key: string): Record<string, unknown> {
  if (!after) return {};
  const [iso, id] = after;
  const at = new Date(String(iso));
  return { $or: [{ [key]: { $lt: at } }, { [key]: at, id: { $lt: id } }] };
}

// Built once: the runtime's canonical IANA zone names (V8 leaves UTC out of this list).
let supported: ReadonlySet<string> | undefined;

/**
 * The canonical IANA name of a time zone (`america/new_york` -> `America/New_York`), or null when the
 * runtime does not know it. Intl.DateTimeFormat also accepts UTC offsets such as `+01:00` on newer
 * engines; requiring the resolved name to be a listed zone keeps those out, since offsets ignore DST.
 */
export function parseTimeZone(value: string): string | null {
  supported ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  const candidate = value.trim();
  if (!candidate || candidate.length > 64) return null;
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: candidate }).resolvedOptions().timeZone;
    return supported.has(resolved) ? resolved : null;
  } catch {
    return null; // RangeError: not a zone this runtime knows
  }
}

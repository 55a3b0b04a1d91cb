/**
 * How many operation names outside the manifests get series of their own, first come first served, per
 * process. A constant, not a setting: each name costs 28 series of graphql_request_duration_seconds (two
 * outcomes × 14), so 50 bound it at 1,400 whatever clients send. Named operations beyond them are `other`.
 * With manifests every operation of the client builds is known from the start and never crowded out; the
 * first-come names serve `off` and `allow` (development, a migration), where clients name what they like.
 */
export const MAX_FIRST_COME_OPERATIONS = 50;

/** GraphQL names are `[_A-Za-z][_0-9A-Za-z]*`; a label is also kept short (a name may be 1 MB long). */
const LABEL = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/** The `operation` label of a request: a known name, `anonymous` when unnamed, `other` otherwise. */
export class OperationLabels {
  private readonly known: Set<string>;
  private firstCome = 0;

  constructor(
    manifestNames: Iterable<string>,
    private readonly maxFirstCome = MAX_FIRST_COME_OPERATIONS,
  ) {
    this.known = new Set([...manifestNames].filter((name) => LABEL.test(name)));
  }

  label(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.known.has(name)) return name;
    if (this.firstCome >= this.maxFirstCome || !LABEL.test(name)) return 'other';
    this.firstCome += 1;
    this.known.add(name);
    return name;
  }
}

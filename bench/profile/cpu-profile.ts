import { writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector';

/**
 * A CPU profile of a stretch of this process (not its start-up: module loading and the schema build
 * would otherwise be most of it), written where `node --cpu-prof` writes, and summed up by where the
 * time went.
 */
export async function profiled<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  const post = <R>(method: string, params?: object) =>
    new Promise<R>((resolve, reject) =>
      session.post(method, params, (err, result) => (err ? reject(err) : resolve(result as R))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  const result = await work();
  const { profile } = await post<{ profile: Profiler.Profile }>('Profiler.stop');
  session.disconnect();
  writeFileSync(file, JSON.stringify(profile));
  console.log(`wrote ${file}\n${summary(profile)}`);
  return result;
}

/** Self time by package (or source file, or V8's own buckets) and by function, as shares of the busy time. */
function summary(profile: Profiler.Profile, rows = 25): string {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byNode = new Map<number, number>();
  profile.samples?.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
  const byWhere = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const [id, time] of byNode) {
    const { functionName, url, lineNumber, scriptId } = nodes.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    busy += time;
    const where = whereOf(url, functionName, scriptId);
    byWhere.set(where, (byWhere.get(where) ?? 0) + time);
    const fn = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + time);
  }
  const top = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, rows)
      .map(([k, v]) => `${((100 * v) / busy).toFixed(1).padStart(6)}%  ${k}`)
      .join('\n');
  return `busy ${(busy / 1000).toFixed(0)} ms\n-- by package or file\n${top(byWhere)}\n-- by function\n${top(byFunction)}`;
}

function whereOf(url: string, functionName: string, scriptId: string): string {
  const inModules = url.split('node_modules/');
  if (inModules.length > 1) {
    const parts = inModules.at(-1)!.split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1);
  if (url) return url;
  // V8's own buckets ("(garbage collector)"), then builtins (script 0), then code made by `new Function`:
  // graphql-jit's compiled queries (and the ORM's generated hydrators).
  if (functionName.startsWith('(')) return functionName;
  return scriptId === '0' ? '(native)' : '(generated code)';
}

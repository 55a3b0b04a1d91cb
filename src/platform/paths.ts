import { existsSync } from 'node:fs';
import path from 'node:path';

/** The project root, found from this file whether it runs from src/ (ts) or dist/src/ (compiled). */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}

export const projectRoot = findRoot(__dirname);
/** True when running compiled JavaScript from dist/. */
export const runningCompiled = __dirname.split(path.sep).includes('dist');

import 'reflect-metadata';
import path from 'node:path';

// Tests never read a developer's .env: every test states the configuration it runs with.
process.env.NODE_ENV = 'test';

// The gateway processes tests start compile TypeScript through @swc-node/register, whose cache would go to
// the temp folder, which a test run must leave as it found it (.ci/run checks): keep it with the project.
process.env.SWC_NODE_CACHE_DIR ??= path.resolve(__dirname, '..', '..', '.data', 'swc-node-cache');

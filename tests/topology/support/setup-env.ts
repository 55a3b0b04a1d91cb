import path from 'node:path';

// As in the main suite: @swc-node/register's cache stays with the project, not in the temp folder.
process.env.SWC_NODE_CACHE_DIR ??= path.resolve(__dirname, '..', '..', '..', '.data', 'swc-node-cache');

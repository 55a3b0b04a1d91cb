// Some registries and mirrors lack other platforms' optional binaries (e.g. @swc/core-darwin-arm64); npm then
// leaves them out of package-lock.json and `npm ci` refuses the lock. This adds platform-tagged entries
// for them, which npm skips on install. Run after `npm install`: node tools/complete-lockfile.js package-lock.json
const fs = require('node:fs');
const file = process.argv[2];
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const pk = lock.packages;
const OS = [
  'darwin',
  'win32',
  'linux',
  'freebsd',
  'android',
  'openharmony',
  'sunos',
  'netbsd',
  'openbsd',
  'aix',
];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32', 'mips64el'];
let added = 0;
for (const [key, meta] of Object.entries(pk)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies || {})) {
    const base = key ? `${key}/node_modules/${name}` : `node_modules/${name}`;
    if (pk[`node_modules/${name}`] || pk[base]) continue;
    const os = OS.find((o) => name.includes(`-${o}`));
    let cpu = CPU.find((c) => new RegExp(`-${c}(-|$)`).test(name));
    if (name.includes('arm-')) cpu = 'arm';
    const entry = { version: version.replace(/^[\^~]/, ''), dev: meta.dev || undefined, optional: true };
    if (os) entry.os = [os];
    if (cpu) entry.cpu = [cpu];
    if (name.includes('musl')) entry.libc = ['musl'];
    pk[`node_modules/${name}`] = entry;
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(pk).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log('added', added);

// `npm run build`: compiles the addon with cargo and installs it as facekit.<platform>-<arch>.node beside
// index.js, then copies the repo's models into the package (npm pack ships them; git keeps one copy).
// cargo runs with the workspace's target directory and release profile, so the core compiled for the Rust
// tests is reused. `npm run build -- --debug` builds unoptimised.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const pkg = path.join(__dirname, '..');
const repo = path.join(pkg, '..', '..');
const debug = process.argv.includes('--debug');

const cargoArgs = ['build', '-p', 'facekit-node', '--message-format=json-render-diagnostics'];
if (!debug) cargoArgs.push('--release');
const messages = execFileSync('cargo', cargoArgs, {
  cwd: pkg,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  maxBuffer: 256 * 1024 * 1024,
});
const artifact = messages
  .split('\n')
  .filter((line) => line.startsWith('{'))
  .map((line) => JSON.parse(line))
  .filter((m) => m.reason === 'compiler-artifact' && m.target.name === 'facekit_node')
  .flatMap((m) => m.filenames)
  .find((f) => /\.(so|dylib|dll)$/.test(f));
if (!artifact) throw new Error('cargo built no facekit_node library');

const addon = path.join(pkg, `facekit.${process.platform}-${process.arch}.node`);
fs.copyFileSync(artifact, addon);
// The release profile keeps line tables for the Rust tests' backtraces; the package does not need them.
const strip = { linux: ['--strip-debug'], darwin: ['-x'] }[process.platform];
if (strip && !debug) execFileSync('strip', [...strip, addon]);
console.log(`built ${path.relative(pkg, addon)} (${(fs.statSync(addon).size / 1e6).toFixed(1)} MB)`);

const models = path.join(pkg, 'models');
fs.mkdirSync(models, { recursive: true });
for (const file of fs.readdirSync(path.join(repo, 'models')).filter((f) => f.endsWith('.onnx'))) {
  fs.copyFileSync(path.join(repo, 'models', file), path.join(models, file));
}

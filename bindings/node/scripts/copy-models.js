// Copies the repo's models into the package (npm pack ships them); the repo keeps one copy in git.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const from = path.join(__dirname, '..', '..', '..', 'models');
const to = path.join(__dirname, '..', 'models');
fs.mkdirSync(to, { recursive: true });
for (const file of fs.readdirSync(from).filter((f) => f.endsWith('.onnx') || f.endsWith('.md'))) {
  fs.copyFileSync(path.join(from, file), path.join(to, file));
}

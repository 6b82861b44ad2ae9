// Loads the addon `npm run build` put beside this file for this platform.
'use strict';
const path = require('node:path');

const file = path.join(__dirname, `facekit.${process.platform}-${process.arch}.node`);
try {
  module.exports = require(file);
} catch (e) {
  throw new Error(`facekit: cannot load ${file} (${e.message}); build it with \`npm run build\` in bindings/node`);
}

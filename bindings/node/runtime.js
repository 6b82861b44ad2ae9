// Where the engine finds its parts when the caller names none: the models shipped in this package and the
// ONNX Runtime library of the onnxruntime-node package this package depends on.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const DETECTOR_FILE = 'retinaface_mnet025.onnx';
// onnxruntime-node keeps its library in bin/napi-v6/<platform>/<arch>/ under these names.
const ORT_NAMES = { linux: 'libonnxruntime.so.1', darwin: 'libonnxruntime.1.dylib', win32: 'onnxruntime.dll' };

function packagedModelDir() {
  const dir = path.join(__dirname, 'models');
  return fs.existsSync(path.join(dir, DETECTOR_FILE)) ? dir : null;
}

function onnxruntimeNodeLibrary() {
  let main;
  try {
    main = require.resolve('onnxruntime-node');
  } catch {
    return null;
  }
  // main is <package>/dist/index.js
  const lib = path.join(path.dirname(main), '..', 'bin', 'napi-v6', process.platform, process.arch, ORT_NAMES[process.platform] || '');
  return fs.existsSync(lib) ? lib : null;
}

/** The engine configuration: explicit options win, then FACEKIT_MODELS / ORT_DYLIB_PATH, then this package's
 * models and onnxruntime-node's library, then the core's own search (the repo's models/ and .ort/). */
function engineConfig(options = {}) {
  const known = ['modelDir', 'ortLibrary', 'facesetDb', 'threads', 'flipEmbedding'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TypeError(`unknown engine option ${key} (known: ${known.join(', ')})`);
  }
  const config = {
    model_dir: options.modelDir ?? (process.env.FACEKIT_MODELS ? null : packagedModelDir()),
    ort_library: options.ortLibrary ?? (process.env.ORT_DYLIB_PATH ? null : onnxruntimeNodeLibrary()),
    faceset_db: options.facesetDb,
    threads: options.threads,
    flip_embedding: options.flipEmbedding,
  };
  return JSON.stringify(Object.fromEntries(Object.entries(config).filter(([, v]) => v != null)));
}

module.exports = { engineConfig, onnxruntimeNodeLibrary, packagedModelDir };

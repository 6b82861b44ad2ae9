// facekit for Node.js. `const { face: AipFace } = require('facekit')` replaces
// `require('baidu-aip-sdk').face`: same class, method names (the SDK's own spellings included), arguments
// and Promise results (the cloud's JSON, errors included). Work runs off the main thread.
'use strict';
const native = require('./native.js');
const { engineConfig } = require('./runtime.js');

/**
 * baidu-aip-sdk's face client. Credentials are accepted and ignored; the optional fourth argument chooses
 * the engine ({ modelDir, ortLibrary, facesetDb, threads, flipEmbedding }). Clients with the same options
 * share one engine and one face library, as a cloud app's clients share its library.
 */
class AipFace {
  constructor(appId, ak, sk, engineOptions = {}) {
    this._engine = new native.NativeEngine(engineConfig(engineOptions));
  }

  /** Accepted for compatibility; there is no access token offline. */
  setAccessToken(token, expireTime) {}
}

// The SDK methods, from the table every facekit binding shares (bindings/sdk/methods.json). `length` is
// the SDK's own arity, so code that inspects the functions sees the same class.
for (const { name, params, options } of JSON.parse(native.sdkMethods())) {
  const method = function (...args) {
    const positional = Array.from({ length: params.length }, (_, i) => args[i]);
    const opts = options ? args[params.length] : undefined;
    const optionsJson = opts == null ? null : JSON.stringify(opts);
    return this._engine.sdkCall(name, JSON.stringify(positional), optionsJson).then(JSON.parse);
  };
  Object.defineProperty(method, 'name', { value: name });
  Object.defineProperty(method, 'length', { value: params.length + (options ? 1 : 0) });
  Object.defineProperty(AipFace.prototype, name, { value: method, writable: true, configurable: true });
}

/** baidu-aip-sdk's HttpClient hooks: accepted for compatibility, there are no requests to shape. */
class HttpClient {
  static setRequestOptions(options) {}
  static setRequestInterceptor(interceptor) {}
}

/** The engine with the Baidu JSON API directly: `await engine.call('detect', {image, image_type})`. */
class Engine {
  constructor(options = {}) {
    this._engine = new native.NativeEngine(engineConfig(options));
  }

  /** Loads the models now instead of on the first call; resolves with the model directory. */
  open() {
    return this._engine.open();
  }

  /** Any API method ('detect', 'match', 'faceset/user/add', …); resolves with the cloud's whole response. */
  call(method, request) {
    return this._engine.call(method, JSON.stringify(request)).then(JSON.parse);
  }
}

module.exports = {
  face: AipFace,
  AipFace,
  HttpClient,
  Engine,
  version: native.version(),
  loadedOrtLibrary: native.loadedOrtLibrary,
};

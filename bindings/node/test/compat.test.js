// Every public method of the published baidu-aip-sdk face class (installed by scripts/test-node.sh into a
// temporary node_modules, named by BAIDU_AIP_SDK_DIR) exists on facekit's with the same arity.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { facekit } = require('./helpers.js');

// Transport plumbing of the SDK's BaseClient / AipFace (token fetch, request signing, HTTP): not API.
const TRANSPORT = new Set([
  'constructor', 'authTypeReq', 'checkDevPermission', 'doRequest', 'gotDevAuthFail', 'gotDevAuthSuccess',
  'preRequest', 'commonImpl', 'jsonRequestImpl',
]);

function methods(cls) {
  const out = new Map();
  for (let p = cls.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) {
      if (!out.has(name) && typeof p[name] === 'function' && !TRANSPORT.has(name)) out.set(name, p[name]);
    }
  }
  return out;
}

const sdkDir = process.env.BAIDU_AIP_SDK_DIR;
const required = Boolean(process.env.FACEKIT_COMPAT_REQUIRED);
const opts = sdkDir || required ? {} : { skip: 'SKIPPED: BAIDU_AIP_SDK_DIR not set (scripts/test-node.sh installs the SDK)' };

test('every public baidu-aip-sdk face method exists with the same arity', opts, () => {
  const sdk = require(sdkDir);
  const published = methods(sdk.face);
  assert.ok(published.size >= 34, [...published.keys()].join(' '));
  for (const [name, fn] of published) {
    const ours = facekit.face.prototype[name];
    assert.equal(typeof ours, 'function', `facekit lacks ${name}`);
    assert.equal(ours.length, fn.length, `${name}: arity ${ours.length}, published ${fn.length}`);
  }
  assert.equal(facekit.face.length, sdk.face.length);
  for (const hook of ['setRequestOptions', 'setRequestInterceptor']) {
    assert.equal(typeof facekit.HttpClient[hook], typeof sdk.HttpClient[hook], hook);
  }
});

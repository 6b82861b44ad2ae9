// require('facekit').face behaves as baidu-aip-sdk's face class: Promises of the cloud's JSON, the SDK's
// names and arities, work off the main thread.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { facekit, b64, client } = require('./helpers.js');

test('methods resolve with the whole cloud envelope', async () => {
  const pending = client.detect(b64('obama.jpg'), 'BASE64', { max_face_num: 2 });
  assert.ok(pending instanceof Promise);
  const r = await pending;
  assert.deepEqual(Object.keys(r), ['error_code', 'error_msg', 'log_id', 'timestamp', 'cached', 'result']);
  assert.equal(r.error_code, 0);
  assert.equal(r.result.face_num, 1);
  assert.ok(Math.abs(r.result.face_list[0].location.left - 372.5) < 3);
  assert.ok(Number.isSafeInteger(r.log_id));
});

test('API errors resolve (they do not reject), as in baidu-aip-sdk', async () => {
  const r = await client.detect('bm90IGFuIGltYWdl', 'BASE64');
  assert.equal(r.error_code, 222203);
  assert.equal(r.result, null);
  assert.equal((await client.personVerify('aGk=', 'BASE64', '1', 'x')).error_code, 6);
  assert.equal((await client.videoFaceliveness('S1', 'dmlkZW8=')).error_code, 6);
});

test('arguments win over options of the same key (objectTools.merge)', async () => {
  const r = await client.detect(b64('biden.jpg'), 'BASE64', { image_type: 'NOT_A_TYPE', max_face_num: 1 });
  assert.equal(r.error_code, 0);
  const missing = await client.detect(b64('biden.jpg'));
  assert.equal(missing.error_code, 222001);
});

test('options that are not an object reject with the reason', async () => {
  await assert.rejects(client.detect(b64('biden.jpg'), 'BASE64', 'max_face_num=2'), /options must be an object/);
});

test("the SDK's own spellings and arities are there", async () => {
  const proto = facekit.face.prototype;
  assert.equal(proto.detect.length, 3);
  assert.equal(proto.match.length, 1);
  assert.equal(proto.facePersonIdmatchV3.length, 2);
  assert.equal(proto.faceVerifyDateV4.length, 7);
  assert.equal(proto.getGrouplist.name, 'getGrouplist');
  for (const name of ['getGrouplist', 'getGroupList', 'mutilSearch', 'faceMultiSearchV3', 'multiSearch']) {
    assert.equal(typeof proto[name], 'function', name);
  }
  // mutilSearch is broken upstream (its URL lacks a slash); here it is the working multi-search.
  const r = await client.mutilSearch(b64('obama.jpg'), 'BASE64', 'nobody_here', { max_face_num: 1 });
  assert.notEqual(r.error_code, 3);
});

test('HttpClient hooks and setAccessToken are accepted', () => {
  facekit.HttpClient.setRequestOptions({ timeout: 5000 });
  facekit.HttpClient.setRequestInterceptor((o) => o);
  assert.equal(client.setAccessToken('token', 3600), undefined);
  assert.equal(facekit.AipFace, facekit.face);
});

test('work runs off the main thread: timers keep firing during a call', async () => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 2);
  const started = Date.now();
  const faces = await client.detect(b64('obama3.jpg'), 'BASE64', { max_face_num: 10 });
  const busy = await Promise.all([1, 2, 3].map(() => client.match([
    { image: b64('obama.jpg'), image_type: 'BASE64' },
    { image: b64('obama2.jpg'), image_type: 'BASE64' },
  ])));
  clearInterval(timer);
  const elapsed = Date.now() - started;
  assert.equal(faces.error_code, 0);
  assert.ok(busy.every((r) => r.result.score >= 80));
  // A blocked event loop would fire the timer once at the end, not every few milliseconds.
  assert.ok(ticks >= elapsed / 20, `${ticks} ticks in ${elapsed} ms`);
});

test('clients with the same options share one face library; a database file persists it', async () => {
  const other = new facekit.face('x', 'y', 'z', { threads: 2 });
  const added = await other.addUser(b64('biden.jpg'), 'BASE64', 'node_shared', 'joe', { user_info: '拜登' });
  assert.equal(added.error_code, 0);
  const found = await client.search(b64('biden.jpg'), 'BASE64', 'node_shared');
  assert.equal(found.result.user_list[0].user_info, '拜登');

  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'facekit-')), 'faces.db');
  const first = new facekit.face('', '', '', { facesetDb: db, threads: 2 });
  assert.equal((await first.addUser(b64('obama.jpg'), 'BASE64', 'g', 'obama')).error_code, 0);
  assert.ok(fs.statSync(db).size > 0);
});

test('engine options are checked when the client is made', () => {
  assert.throws(() => new facekit.face('a', 'b', 'c', { treads: 2 }), /unknown engine option treads/);
});

test('a missing model directory rejects the first call with the reason', async () => {
  const broken = new facekit.Engine({ modelDir: path.join(os.tmpdir(), 'no-models-here') });
  await assert.rejects(broken.open(), /retinaface_mnet025\.onnx/);
});

test('Engine.call speaks the JSON API and ORT comes from onnxruntime-node', async () => {
  const engine = new facekit.Engine({ threads: 2 });
  assert.match(await engine.open(), /models$/);
  const r = await engine.call('match', [
    { image: b64('obama.jpg'), image_type: 'BASE64' },
    { image: b64('biden.jpg'), image_type: 'BASE64' },
  ]);
  assert.ok(r.result.score < 60);
  assert.match(facekit.loadedOrtLibrary(), /onnxruntime-node.*libonnxruntime/);
  assert.equal(facekit.version, '0.1.0');
});

test('aipface.d.ts lists the methods index.js installs', () => {
  const { renderAipFaceTypes } = require('../scripts/gen-types.js');
  const { PACKAGE_DIR } = require('./helpers.js');
  const shipped = fs.readFileSync(path.join(PACKAGE_DIR, 'aipface.d.ts'), 'utf8');
  assert.equal(shipped, renderAipFaceTypes(require(path.join(PACKAGE_DIR, 'native.js'))), 'run npm run types');
});

// The unmodified official Node SDK (`baidu-aip-sdk` from npm) against `facekit serve`. Only the URL is rewritten,
// with the SDK's own request interceptor (spec official-sdk-packages.md §2.4).
'use strict';
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { face: AipFace, HttpClient } = require('baidu-aip-sdk');

const BASE = process.env.FACEKIT_URL;
HttpClient.setRequestInterceptor((o) => {
  o.url = o.url.replace('https://aip.baidubce.com', BASE);
  return o;
});
const b64 = (name) => fs.readFileSync(path.join(__dirname, '..', '..', 'testdata', name)).toString('base64');
const ok = (resp, what) => {
  assert.strictEqual(resp.error_code, 0, `${what}: ${JSON.stringify(resp)}`);
  return resp.result;
};

(async () => {
  const client = new AipFace('app', 'key', 'secret');
  let res = ok(await client.detect(b64('obama.jpg'), 'BASE64', { face_field: 'landmark', max_face_num: 2 }), 'detect');
  assert.strictEqual(res.face_num, 1);
  res = ok(await client.match([
    { image: b64('obama.jpg'), image_type: 'BASE64' },
    { image: b64('obama2.jpg'), image_type: 'BASE64' },
  ]), 'match');
  assert.ok(res.score >= 80, JSON.stringify(res));
  const group = 'sdk_node';
  await client.groupDelete(group);
  ok(await client.groupAdd(group), 'groupAdd');
  ok(await client.addUser(b64('obama.jpg'), 'BASE64', group, 'obama', { user_info: '张三' }), 'addUser');
  ok(await client.addUser(b64('biden.jpg'), 'BASE64', group, 'biden'), 'addUser');
  res = ok(await client.search(b64('obama2.jpg'), 'BASE64', group, { max_user_num: 2 }), 'search');
  assert.strictEqual(res.user_list[0].user_id, 'obama');
  assert.strictEqual(res.user_list[0].user_info, '张三');
  res = ok(await client.faceMultiSearchV3(b64('obama2.jpg'), 'BASE64', group, { max_face_num: 2 }), 'multi-search');
  assert.strictEqual(res.face_list[0].user_list[0].user_id, 'obama');
  assert.ok(ok(await client.getGrouplist(), 'getGrouplist').group_id_list.includes(group));
  ok(await client.groupDelete(group), 'groupDelete');
  console.log('official Node SDK against facekit serve: OK');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});

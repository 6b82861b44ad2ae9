// The TypeScript declarations compile under --strict and describe the API as it is used.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { PACKAGE_DIR } = require('./helpers.js');

const USAGE = `
import { face as AipFace, AipFace as Same, Engine, HttpClient, AipResponse, version } from 'facekit';

async function main(): Promise<number> {
  HttpClient.setRequestOptions({ timeout: 5000 });
  const client = new AipFace('APP_ID', 'API_KEY', 'SECRET_KEY', { threads: 2 });
  const same: Same = client;
  const r: AipResponse = await same.detect('aGk=', 'BASE64', { max_face_num: 2 });
  await client.match([{ image: 'a', image_type: 'BASE64' }, { image: 'b', image_type: 'FACE_TOKEN' }]);
  await client.getGrouplist();
  await client.mutilSearch('aGk=', 'BASE64', 'g1,g2');
  const e = await new Engine({ modelDir: '/models' }).call<{ face_num: number }>('detect', { image: 'x' });
  return r.error_code + (e.result ? e.result.face_num : 0) + version.length;
}
main();
`;

const BAD = `
import { face as AipFace } from 'facekit';
new AipFace().detect('aGk=');          // imageType missing
new AipFace().noSuchMethod();
`;

function typecheck(source) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facekit-ts-'));
  fs.writeFileSync(path.join(dir, 'usage.ts'), source);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'es2020', module: 'commonjs', types: [],
      baseUrl: '.', paths: { facekit: [path.join(PACKAGE_DIR, 'index.d.ts')] } },
    files: ['usage.ts'],
  }));
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
    return '';
  } catch (e) {
    return e.stdout;
  }
}

test('index.d.ts and aipface.d.ts type-check an app under --strict', () => {
  assert.equal(typecheck(USAGE), '');
});

test('the declarations reject wrong calls', () => {
  const errors = typecheck(BAD);
  assert.match(errors, /Expected 2-3 arguments, but got 1/);
  assert.match(errors, /noSuchMethod/);
});

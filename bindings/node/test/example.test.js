// examples/node/attendance.js runs as written (its require('facekit') resolved to the package under test).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { REPO, TESTDATA, PACKAGE_DIR } = require('./helpers.js');

function attendance(people, snapshot) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'staff-'));
  for (const [src, name] of people) fs.copyFileSync(path.join(TESTDATA, src), path.join(folder, name));
  // NODE_PATH makes require('facekit') find the package under test, as an app's node_modules would.
  const nodePath = path.join(os.tmpdir(), `facekit-nodepath-${process.pid}`);
  fs.mkdirSync(nodePath, { recursive: true });
  const link = path.join(nodePath, 'facekit');
  if (!fs.existsSync(link)) fs.symlinkSync(PACKAGE_DIR, link);
  return execFileSync(process.execPath, [path.join(REPO, 'examples/node/attendance.js'), folder, path.join(TESTDATA, snapshot)], {
    env: { ...process.env, NODE_PATH: nodePath },
    encoding: 'utf8',
  });
}

test('attendance recognises an enrolled person', () => {
  const out = attendance([['obama.jpg', 'barack.jpg'], ['biden.jpg', 'joe.jpg'], ['astronaut.png', 'eileen.png']], 'obama2.jpg');
  assert.match(out, /enrolled barack/);
  assert.match(out, /present: barack \(score \d+\.\d\)/);
});

test('attendance does not name a stranger', () => {
  const out = attendance([['biden.jpg', 'joe.jpg'], ['astronaut.png', 'eileen.png']], 'obama3.jpg');
  assert.match(out, /not recognised/);
  assert.doesNotMatch(out, /present/);
});

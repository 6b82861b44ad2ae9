// Shared by the Node tests: the package under test (the checkout, or an installed tarball named by
// FACEKIT_PACKAGE), the repo's photos and shared cases.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..', '..');
const TESTDATA = path.join(REPO, 'testdata');
const PACKAGE_DIR = process.env.FACEKIT_PACKAGE || path.resolve(__dirname, '..');
const facekit = require(PACKAGE_DIR);

const b64 = (name) => fs.readFileSync(path.join(TESTDATA, name)).toString('base64');

/** One client for the suite, as an app keeps one. */
const client = new facekit.face('app-id', 'api-key', 'secret-key', { threads: 2 });

module.exports = { REPO, TESTDATA, PACKAGE_DIR, facekit, b64, client };

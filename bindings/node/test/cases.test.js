// The shared SDK cases (bindings/cases/*.json, see its README) through require('facekit').face.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { REPO, TESTDATA, b64, client } = require('./helpers.js');

const UNSUPPORTED = 3;
let runs = 0;

function resolve(v, saved, run) {
  if (typeof v === 'string') return v.replaceAll('${run}', run);
  if (Array.isArray(v)) return v.map((i) => resolve(i, saved, run));
  if (v && typeof v === 'object') {
    if ('$base64' in v) return b64(v.$base64);
    if ('$file_url' in v) return 'file://' + fs.realpathSync(path.join(TESTDATA, v.$file_url));
    if ('$var' in v) return saved[v.$var];
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, saved, run)]));
  }
  return v;
}

function lookup(v, dotted) {
  for (const key of dotted.split('.')) {
    if (v == null || typeof v !== 'object') return null;
    v = Array.isArray(v) && /^\d+$/.test(key) ? v[Number(key)] : v[key];
  }
  return v ?? null;
}

function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function check(actual, expected) {
  if (expected === null || typeof expected !== 'object') {
    assert.deepEqual(actual, expected);
    return;
  }
  for (const [op, arg] of Object.entries(expected)) {
    let ok;
    switch (op) {
      case 'equals': ok = JSON.stringify(actual) === JSON.stringify(arg); break;
      case 'min': ok = typeof actual === 'number' && actual >= arg; break;
      case 'max': ok = typeof actual === 'number' && actual <= arg; break;
      case 'len': ok = (Array.isArray(actual) || typeof actual === 'string') && [...actual].length === arg; break;
      case 'type': ok = typeName(actual) === arg || (arg === 'number' && typeName(actual) === 'integer'); break;
      case 'contains': ok = Array.isArray(actual) && actual.some((x) => JSON.stringify(x) === JSON.stringify(arg)); break;
      case 'absent': ok = (actual === null) === arg; break;
      default: throw new Error(`unknown matcher ${op}`);
    }
    assert.ok(ok, `is ${JSON.stringify(actual)}, expected ${op} ${JSON.stringify(arg)}`);
  }
}

async function runCase(t, c) {
  const saved = {};
  const run = `js${process.pid}_${runs++}`;
  for (const [i, step] of c.steps.entries()) {
    const args = resolve(step.args ?? [], saved, run);
    if ('options' in step) args.push(resolve(step.options, saved, run));
    const response = await client[step.call](...args);
    const expect = resolve(step.expect ?? {}, saved, run);
    if (response.error_code === UNSUPPORTED && expect.error_code !== UNSUPPORTED) {
      t.skip(`SKIPPED: ${step.call} answers 3 Unsupported openapi method in this build`);
      return;
    }
    for (const [p, expected] of Object.entries(expect)) {
      try {
        check(lookup(response, p), expected);
      } catch (e) {
        throw new Error(`step ${i} ${step.call}: ${p} ${e.message}\n  response: ${JSON.stringify(response)}`);
      }
    }
    for (const [name, p] of Object.entries(step.save ?? {})) saved[name] = lookup(response, p);
  }
}

const dir = path.join(REPO, 'bindings', 'cases');
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  for (const c of JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')).cases) {
    test(`${path.basename(file, '.json')}::${c.name}`, (t) => runCase(t, c));
  }
}

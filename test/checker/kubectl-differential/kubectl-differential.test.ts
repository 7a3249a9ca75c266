import * as fs from 'fs';
import * as path from 'path';
import { expandLists } from '../../../src/checker/engine';
import { InputError, parseManifests } from '../../../src/checker/input';

/*
 * The checker's decoding compared with kubectl's, field for field. Each case under cases/ has
 * the objects kubectl 1.32 decoded from it (`record.sh`, via `kubectl label --local -f`), or
 * kubectl's error. `agree.*` cases must decode to exactly kubectl's objects; `error.*` cases are
 * refused by both; `refused.*` cases are ones where js-yaml alone would read something other than
 * kubectl, which the checker refuses with an input error naming the line (failing closed).
 */

const CASES = path.join(__dirname, 'cases');

interface Recorded {
  readonly kubectl: string;
  readonly objects?: unknown[];
  readonly error?: string;
}

const cases = fs.readdirSync(CASES).filter((name) => !name.endsWith('.kubectl.json')).sort();

function recorded(name: string): Recorded {
  return JSON.parse(fs.readFileSync(path.join(CASES, `${name.replace(/\.(yaml|json)$/, '')}.kubectl.json`), 'utf8')) as Recorded;
}

function decode(name: string): unknown[] {
  const bytes = fs.readFileSync(path.join(CASES, name), 'utf8');
  // the loader drops a BOM at the start of a file before parsing (decodeText).
  const text = bytes.charCodeAt(0) === 0xfeff ? bytes.slice(1) : bytes;
  return expandLists(parseManifests(text, name)).map((entry) => entry.object);
}

function refusal(name: string): InputError {
  try {
    decode(name);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`${name} was accepted`);
}

test('every case has its kubectl recording', () => {
  expect(cases.length).toBeGreaterThanOrEqual(30);
  for (const name of cases) expect(recorded(name).kubectl).toMatch(/^v1\.32\./);
});

describe.each(cases.filter((name) => name.startsWith('agree.')))('%s', (name) => {
  test('decodes to the objects kubectl applies, field for field', () => {
    const expected = recorded(name);
    expect(expected.error).toBeUndefined();
    expect(JSON.parse(JSON.stringify(decode(name)))).toStrictEqual(expected.objects);
  });
});

describe.each(cases.filter((name) => name.startsWith('error.')))('%s', (name) => {
  test('is refused, as kubectl refuses it', () => {
    expect(recorded(name).error).toBeDefined();
    expect(refusal(name).line).toEqual(expect.any(Number));
  });
});

describe.each(cases.filter((name) => name.startsWith('refused.')))('%s', (name) => {
  test('is refused with an input error naming the line', () => {
    const error = refusal(name);
    expect(error.line).toEqual(expect.any(Number));
    expect(error.message).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')}:\\d+: `));
  });
});

test('the cases where kubectl sees a weakening that js-yaml alone hides are all refused', () => {
  // what kubectl decodes for the evasions of the issue: the checker must not read them as hardened.
  const privileged = recorded('refused.merge-after-explicit-key.yaml').objects as { spec: { containers: { securityContext: unknown }[] } }[];
  expect(privileged[0].spec.containers[0].securityContext).toEqual({ privileged: true });
  const hostPid = recorded('refused.line-separator-in-comment.yaml').objects as { spec: { hostPID?: boolean } }[];
  expect(hostPid[0].spec.hostPID).toBe(true);
});

import * as fs from 'fs';
import * as path from 'path';

/** `test/checker/fixtures/<rule-id>/{pass,fail}.<variant>.yaml`, owned by the rule writers. */
export const FIXTURES = path.join(__dirname, 'fixtures');
const FIXTURE_NAME = /^(pass|fail)\.[^/]+\.ya?ml$/;

/** the fixture files of a rule, sorted. */
export function fixtureFiles(ruleId: string): string[] {
  const directory = path.join(FIXTURES, ruleId);
  return fs.existsSync(directory) ? fs.readdirSync(directory).filter((file) => FIXTURE_NAME.test(file)).sort() : [];
}

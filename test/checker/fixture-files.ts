import * as fs from 'fs';
import * as path from 'path';
import { CheckerConfig, loadCheckerConfig } from '../../src/checker/config-file';

/** `test/checker/fixtures/<rule-id>/{pass,fail}.<variant>.yaml`, owned by the rule writers. */
export const FIXTURES = path.join(__dirname, 'fixtures');
const FIXTURE_NAME = /^(pass|fail)\.[^/]+\.ya?ml$/;

/** the fixture files of a rule, sorted. */
export function fixtureFiles(ruleId: string): string[] {
  const directory = path.join(FIXTURES, ruleId);
  return fs.existsSync(directory) ? fs.readdirSync(directory).filter((file) => FIXTURE_NAME.test(file)).sort() : [];
}

/**
 * The settings a rule's fixtures are judged with: `fixtures/<rule-id>/config.yaml`, in the format
 * of the checker's `--config` file (rules such as image-registry-not-allowed need a policy).
 */
export function fixtureConfig(ruleId: string): CheckerConfig {
  const file = path.join(FIXTURES, ruleId, 'config.yaml');
  return fs.existsSync(file) ? loadCheckerConfig(file) : {};
}

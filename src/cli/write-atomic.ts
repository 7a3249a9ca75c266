import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Writes a file atomically: the text (whole, or in pieces) goes to a temporary file in the same
 * directory, which is then renamed over the target, so readers never see a partial report.
 */
export function writeFileAtomic(file: string, text: string | Iterable<string>): void {
  const target = path.resolve(file);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let descriptor: number | undefined;
  try {
    if (typeof text === 'string') {
      fs.writeFileSync(temporary, text, { flag: 'wx' });
    } else {
      // pieces written as they come: a large report is never held whole.
      descriptor = fs.openSync(temporary, 'wx');
      for (const piece of text) fs.writeSync(descriptor, piece);
      fs.closeSync(descriptor);
      descriptor = undefined;
    }
    fs.renameSync(temporary, target);
  } catch (error) {
    if (descriptor !== undefined) fs.closeSync(descriptor);
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/** An atomic text write for the Node-only functions: a temporary file, then a rename. */
import { promises as fs } from 'fs';
import * as path from 'path';

/** Writes `text` to `file` so readers see the old file or the new one, never half of one. @internal */
export async function writeTextAtomically(file: string, text: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await fs.writeFile(temporary, text, { encoding: 'utf8', flag: 'wx' });
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
}

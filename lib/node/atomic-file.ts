/**
 * Safe file writes and reads for checkpoints and drawings (Node only: it uses `fs`).
 *
 * Writes are atomic: the text goes to a temporary file in the same directory, created
 * exclusively under a name no other call can pick (process id plus a random suffix, bounded
 * in length so that long target names still fit), then renamed over the target. Readers see
 * the old file or the new one, never half of one; two concurrent writes to one path both
 * succeed and the last rename wins. (A process id says nothing about other machines: on a
 * directory shared over the network, a live writer elsewhere could lose its temporary.) An existing target keeps its permission bits. A process
 * killed mid-write leaves its temporary behind (nothing can prevent that); the next write to
 * the same directory removes temporaries whose process is gone.
 *
 * Reads refuse anything that is not a regular file (a FIFO would block forever, a device or
 * procfs file reports size 0 and never ends) and stop at a byte limit.
 */
import { randomBytes } from 'crypto';
import { constants, promises as fs } from 'fs';
import * as path from 'path';

/** Longest file name most file systems accept, in bytes. */
const NAME_MAX = 255;
/** Bytes of a temporary's name besides the target's name: '.', '.<pid>.', 16 hex digits, '.tmp'. */
const TEMP_OVERHEAD = 1 + 1 + 10 + 1 + 16 + 4;
/**
 * What our temporaries look like: `.<target prefix>.<pid>.<16 hex>.tmp`, or, from versions
 * before this module, `.<target>.<pid>.<13-digit milliseconds>.tmp`.
 */
const TEMP_PATTERN = /^\..*\.(\d{1,10})\.([0-9a-f]{16}|\d{13})\.tmp$/;

/** `text` cut to at most `bytes` UTF-8 bytes, never inside a character. */
function truncateUtf8(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch);
    if (used + size > bytes) break;
    out += ch;
    used += size;
  }
  return out;
}

/**
 * The temporary name a write to `file` uses: in the same directory, unique to this call, and
 * never longer than 255 bytes whatever the target's name.
 *
 * @example
 * temporaryName('/data/model.json');   // '/data/.model.json.4242.9f3c0a1b2c3d4e5f.tmp'
 */
export function temporaryName(file: string): string {
  const base = truncateUtf8(path.basename(file), NAME_MAX - TEMP_OVERHEAD);
  return path.join(path.dirname(file), `.${base}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`);
}

/** Whether a process with this id is alive (or exists but is not ours to signal). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporaries left in `directory` by writes whose process has died (a crash or
 * `kill -9` mid-write). Best effort: anything it cannot list or remove is left alone.
 *
 * @example
 * await removeStaleTemporaries('/data');
 */
export async function removeStaleTemporaries(directory: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(directory);
  } catch {
    return;
  }
  for (const name of names) {
    const match = TEMP_PATTERN.exec(name);
    if (match === null || processAlive(Number(match[1]))) continue;
    await fs.rm(path.join(directory, name), { force: true }).catch(() => undefined);
  }
}

/**
 * Writes `text` (or bytes) to `file` atomically (see the module note). `where` names the caller in errors.
 *
 * @example
 * await writeFileAtomic('save(module, path)', 'model.json', '{}');
 */
export async function writeFileAtomic(where: string, file: string, text: string | Uint8Array): Promise<void> {
  await removeStaleTemporaries(path.dirname(file));
  let mode: number | undefined;
  try {
    const existing = await fs.stat(file);
    if (existing.isFile()) mode = existing.mode & 0o7777;
  } catch {
    // No file yet: the temporary gets the default mode.
  }
  const temporary = temporaryName(file);
  let created = false;
  try {
    const handle = await fs.open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode ?? 0o666);
    created = true;
    try {
      await (typeof text === 'string' ? handle.writeFile(text, 'utf8') : handle.writeFile(text));
      // open() applies the umask; give the new file exactly the old one's permissions.
      if (mode !== undefined) await handle.chmod(mode);
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, file);
  } catch (error) {
    if (created) await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw withContext(where, file, error);
  }
}

/** What a non-regular file is, in words. */
function kindOfFile(stats: import('fs').Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * The text of the regular file `file`, read without ever holding more than `limit` bytes.
 * Throws an Error naming `where` for a missing file, a directory, FIFO, socket or device, and
 * for a file longer than `limit` bytes (even one whose reported size is 0, as in /proc);
 * `what` says what the file should be, in that message.
 *
 * @example
 * const text = await readRegularFile('load(module, path)', 'model.json', 1 << 20);
 */
export async function readRegularFile(where: string, file: string, limit: number, what = 'this file'): Promise<string> {
  return (await readRegularBytes(where, file, limit, what)).toString('utf8');
}

/**
 * The bytes of the regular file `file`, read as `readRegularFile` reads text (same refusals and limit).
 *
 * @example
 * const bytes = await readRegularBytes('loadSafetensors(module, path)', 'model.safetensors', 1 << 30);
 */
export async function readRegularBytes(
  where: string,
  file: string,
  limit: number,
  what = 'this file',
): Promise<Buffer> {
  let stats;
  try {
    stats = await fs.stat(file);
  } catch (error) {
    throw withContext(where, file, error);
  }
  if (!stats.isFile())
    throw new Error(`${where}: ${file} is ${kindOfFile(stats)}, not a regular file; pass the path of a file.`);
  if (stats.size > limit) throw tooLarge(where, file, `${stats.size} bytes`, limit, what);
  let handle;
  try {
    // O_NONBLOCK: should the path have become a FIFO since the stat, opening it does not hang.
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw withContext(where, file, error);
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile())
      throw new Error(`${where}: ${file} is ${kindOfFile(opened)}, not a regular file; pass the path of a file.`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(65536, limit + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) throw tooLarge(where, file, `more than ${limit} bytes`, limit, what);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

function tooLarge(where: string, file: string, size: string, limit: number, what: string): Error {
  return new Error(
    `${where}: ${file} is ${size}, too large for ${what} (at most ${limit} bytes); is it the right file?`,
  );
}

/** `error` with a message that names the call and the file; its `code` (ENOENT, ...) is kept. */
function withContext(where: string, file: string, error: unknown): Error {
  const cause = error as NodeJS.ErrnoException;
  if (typeof cause?.message !== 'string' || cause.message.startsWith(where)) return error as Error;
  const wrapped: NodeJS.ErrnoException = new Error(`${where}: cannot access ${file} (${cause.message}).`, { cause });
  if (cause.code !== undefined) wrapped.code = cause.code;
  return wrapped;
}

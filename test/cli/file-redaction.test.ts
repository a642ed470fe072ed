/**
 * The command line's file loop: a file many reads long, written to a stdout that keeps every
 * chunk it is given (as a pipe does while it is full), comes out as the reference redacts it —
 * so no output is ever a view of the read buffer that the next read overwrites.
 */
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { READ_CHUNK_BYTES, redactFile } from '../../src/cli/file-redaction.js';
import { createProgressLine } from '../../src/cli/progress-meter.js';
import { ByteRedactor, JsonLinesRedactor } from '../../src/redact/index.js';
import { referenceRedact } from '../support/reference.js';
import { withTempDir } from '../support/temp-dir.js';

/** A stdout that keeps the chunks themselves, not copies. */
function keepingStdout(): Writable & { chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return Object.assign(stream, { chunks });
}

async function redactThrough(content: string, redactor: ByteRedactor | JsonLinesRedactor, terminal?: Writable): Promise<string> {
  return withTempDir('chat-redact-file-', async (dir) => {
    const file = join(dir, 'input.log');
    await writeFile(file, content);
    const stdout = keepingStdout();
    const handle = await open(file);
    try {
      const progress = terminal === undefined ? undefined : createProgressLine('input.log', Buffer.byteLength(content), terminal);
      await redactFile(handle.fd, redactor, stdout, progress);
    } finally {
      await handle.close();
    }
    return Buffer.concat(stdout.chunks).toString('utf8');
  });
}

describe('redactFile', () => {
  // Reads with nothing to delete (the chunk comes back as it went in) between reads with numbers.
  const quiet = 'ingen tall her, bare tekst æøå 😀\n'.repeat(Math.ceil(READ_CHUNK_BYTES / 30));
  const noisy = 'ring meg på 98 76 54 32 eller ٩١٢٣٤٥٦٧, takk\n'.repeat(Math.ceil(READ_CHUNK_BYTES / 40));
  const content = [quiet, noisy, quiet, quiet, noisy, 'slutt 1234567'].join('');

  it('writes what the reference makes of a file many reads long, every output its own bytes', async () => {
    expect(Buffer.byteLength(content)).toBeGreaterThan(5 * READ_CHUNK_BYTES);
    expect(await redactThrough(content, new ByteRedactor())).toBe(referenceRedact(content).text);
  });

  it('does the same for JSON lines, whose unchanged lines come back as views of the read', async () => {
    const lines = content
      .split('\n')
      .map((text) => JSON.stringify({ msg: text }))
      .join('\n');
    const out = await redactThrough(lines, new JsonLinesRedactor());
    expect(out).toBe(lines.split('\n').map((line) => JSON.stringify({ msg: referenceRedact(JSON.parse(line).msg).text })).join('\n'));
  });

  it('keeps the progress line and ends it with the done line', async () => {
    const written: string[] = [];
    const terminal = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written.push(chunk.toString('utf8'));
        callback();
      },
    });
    await redactThrough(content, new ByteRedactor(), terminal);
    expect(written.at(-2)).toMatch(/input\.log: 100% /);
    expect(written.at(-1)).toMatch(/input\.log: \d+ MiB done\n$/);
  });
});

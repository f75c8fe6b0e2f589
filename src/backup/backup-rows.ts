/**
 * The rows of a backup file, read as values. Each line is a comment, the end marker, or
 * an INSERT whose head is exactly the one createBackup writes for a table of the
 * (already trusted) manifest, followed by literal rows only (insert-literals.ts).
 * The file streams line by line, so memory stays flat whatever its size.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { BackupError } from './backup-error.js';
import { dataFile, type BackupManifest, type TableManifest } from './backup-files.js';
import { END_MARKER } from './create-backup.js';
import { NotLiteralError, parseLiteralRows, type LiteralRow } from './insert-literals.js';
import { insertHead } from './table-rows.js';

export interface BackupRows {
  table: TableManifest;
  rows: LiteralRow[];
}

/**
 * The lines of a UTF-8 stream, one chunk read at a time: the stream stays paused while
 * the consumer works, so at most a chunk and the line being assembled are in memory
 * (readline's iterator instead queues up to 1 024 lines ahead of a slow consumer).
 */
async function* textLines(input: Readable): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let parts: string[] = [];
  for await (const chunk of input) {
    const text = decoder.write(chunk as Buffer);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      parts.push(text.slice(start, end));
      yield parts.join('');
      parts = [];
      start = end + 1;
    }
    if (start < text.length) parts.push(text.slice(start));
  }
  const rest = parts.join('') + decoder.end();
  if (rest !== '') yield rest;
}

/** Streams the INSERT lines of the backup's file as rows of literal values. */
export async function* readBackupRows(
  dir: string,
  manifest: BackupManifest,
  onTable: (name: string) => void = () => undefined,
): AsyncGenerator<BackupRows> {
  const heads = manifest.tables.map((table) => ({ table, head: insertHead(table) }));
  const input = createReadStream(dataFile(dir, manifest));
  const text = manifest.compressed ? input.pipe(createGunzip()) : input;
  // Errors of the file or of gzip (truncation, a flipped bit) reach the line reader,
  // which ends the loop below with them; `pipe` does not pass the file's on.
  if (text !== input) input.on('error', (error) => text.destroy(error));
  const refuse = (number: number, problem: string) =>
    new BackupError(`backup ${manifest.id}: line ${number} ${problem}`, 'untrusted');
  let complete = false;
  let number = 0;
  try {
    for await (const line of textLines(text)) {
      number++;
      if (complete) throw refuse(number, 'follows the end marker');
      if (line === END_MARKER) complete = true;
      else if (line.startsWith('-- table ')) onTable(line.slice(9));
      else if (line.startsWith('-- ')) continue;
      else {
        const match = heads.find(({ head }) => line.startsWith(head));
        if (!match) throw refuse(number, 'is not an INSERT into a table of the manifest');
        try {
          yield {
            table: match.table,
            rows: parseLiteralRows(line, match.head.length, match.table.columns.length),
          };
        } catch (error) {
          if (error instanceof NotLiteralError) {
            throw refuse(number, `holds more than literal values: ${error.message}`);
          }
          throw error;
        }
      }
    }
  } catch (error) {
    // A zlib error in the middle of the file means the file is bad.
    if (error instanceof BackupError) throw error;
    throw new BackupError(`backup ${manifest.id}: ${(error as Error).message}`);
  } finally {
    input.destroy();
  }
  if (!complete) {
    throw new BackupError(`backup ${manifest.id}: the file ends before its end marker`);
  }
}

/** Iterates `source` one item ahead: reading and parsing the next line overlaps loading this one. */
export async function* oneAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = iterator.next();
      // Awaited on the next turn; a consumer that stops early never asks for it.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    await iterator.return?.(undefined);
  }
}

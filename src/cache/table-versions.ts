/**
 * Versioned table tags. Every cached entry remembers the version token of each table
 * it read; a write bumps the tokens of the tables it touched, so older entries stop
 * matching everywhere at once (the tokens live in the shared store). A missing token
 * is replaced by a fresh one: a lost or evicted version only ever causes misses.
 */
import { randomUUID } from 'node:crypto';
import type Keyv from 'keyv';

export type Versions = Record<string, string>;

export class TableVersions {
  constructor(
    private readonly store: Keyv,
    private readonly namespace: string,
  ) {}

  private keyOf(table: string) {
    return `${this.namespace}:table-version:${table}`;
  }

  /** The current token of each table. */
  async current(tables: readonly string[]): Promise<Versions> {
    const tokens = await this.store.getMany<string>(tables.map((table) => this.keyOf(table)));
    const versions: Versions = {};
    await Promise.all(
      tables.map(async (table, index) => {
        let token = tokens[index];
        if (!token) {
          token = randomUUID();
          await this.store.set(this.keyOf(table), token);
        }
        versions[table] = token;
      }),
    );
    return versions;
  }

  /** Gives each table a new token; false when the store did not take every one. */
  async bump(tables: readonly string[]): Promise<boolean> {
    const results = await Promise.all(
      tables.map((table) => this.store.set(this.keyOf(table), randomUUID())),
    );
    return results.every(Boolean);
  }
}

/** True when an entry was stored under the tables' current versions. */
export function sameVersions(stored: Versions, current: Versions): boolean {
  return Object.keys(current).every((table) => stored[table] === current[table]);
}

/**
 * Replication positions, and the one place where MariaDB and MySQL differ about them.
 * A position is the server's own text of the transactions it has applied:
 *
 * - MariaDB: a GTID list `domain-server-seq,…` (`@@gtid_binlog_pos` on the primary,
 *   `@@gtid_slave_pos` on a replica); a replica has reached a position when, in every
 *   domain of it, its sequence number is at least as high. Waiting: `MASTER_GTID_WAIT`.
 * - MySQL 8: a GTID set `uuid:1-5:7,…` (`@@GLOBAL.gtid_executed` on both); reached when
 *   the set is a subset. Waiting: `WAIT_FOR_EXECUTED_GTID_SET`.
 */
import { sql, type SQLQuery } from '@databases/mysql';
import type { Dialect } from '../statement-timeout.js';

export interface ReplicationDialect {
  /** One row `{ gtids }`: 1 when the primary gives its transactions GTIDs. */
  gtidsOn: SQLQuery;
  /** One row `{ position }`: everything the primary has committed. */
  primaryPosition: SQLQuery;
  /** One row `{ position }`: everything the replica has applied. */
  replicaPosition: SQLQuery;
  /** The replica's threads (a row naming whether the receiving and applying threads run). */
  status: SQLQuery;
  /** One row `{ reached }`: 1 once the replica has applied `position`, 0 after `ms`. */
  waitFor(position: string, ms: number): SQLQuery;
  /** True when `have` includes every transaction of `need`. */
  reached(have: string, need: string): boolean;
  /** The smallest position including both. */
  merge(a: string, b: string): string;
}

/** MariaDB's GTID list as domain → [server, seq]. */
function gtidList(position: string): Map<string, [string, bigint]> {
  const domains = new Map<string, [string, bigint]>();
  for (const entry of position.split(',')) {
    const match = /^\s*(\d+)-(\d+)-(\d+)\s*$/.exec(entry);
    if (match) domains.set(match[1]!, [match[2]!, BigInt(match[3]!)]);
  }
  return domains;
}

const mariadb: ReplicationDialect = {
  // Every transaction in MariaDB's binary log has a GTID.
  gtidsOn: sql`SELECT @@GLOBAL.log_bin AS gtids`,
  primaryPosition: sql`SELECT @@GLOBAL.gtid_binlog_pos AS position`,
  replicaPosition: sql`SELECT @@GLOBAL.gtid_slave_pos AS position`,
  status: sql`SHOW SLAVE STATUS`,
  waitFor: (position, ms) => sql`SELECT MASTER_GTID_WAIT(${position}, ${ms / 1000}) = 0 AS reached`,
  reached(have, need) {
    const applied = gtidList(have);
    for (const [domain, [, seq]] of gtidList(need)) {
      const mine = applied.get(domain);
      if (!mine || mine[1] < seq) return false;
    }
    return true;
  },
  merge(a, b) {
    const merged = gtidList(a);
    for (const [domain, entry] of gtidList(b)) {
      const mine = merged.get(domain);
      if (!mine || mine[1] < entry[1]) merged.set(domain, entry);
    }
    return [...merged].map(([domain, [server, seq]]) => `${domain}-${server}-${seq}`).join(',');
  },
};

type Intervals = [bigint, bigint][];

/**
 * MySQL's GTID set as source → sorted, merged intervals; a source is the server's uuid,
 * or `uuid:tag` for tagged GTIDs (`uuid:1-5:tag:1-3` holds both).
 */
function gtidSet(position: string): Map<string, Intervals> {
  const sources = new Map<string, Intervals>();
  for (const entry of position.replace(/\s+/g, '').split(',')) {
    const [uuid, ...parts] = entry.toLowerCase().split(':');
    if (!uuid) continue;
    let source = uuid;
    for (const part of parts) {
      const match = /^(\d+)(?:-(\d+))?$/.exec(part);
      if (!match) {
        source = `${uuid}:${part}`;
        continue;
      }
      const intervals = sources.get(source) ?? [];
      intervals.push([BigInt(match[1]!), BigInt(match[2] ?? match[1]!)]);
      sources.set(source, normalized(intervals));
    }
  }
  return sources;
}

function normalized(intervals: Intervals): Intervals {
  const sorted = [...intervals].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const merged: Intervals = [];
  for (const [from, to] of sorted) {
    const last = merged.at(-1);
    if (last && from <= last[1] + 1n) last[1] = to > last[1] ? to : last[1];
    else merged.push([from, to]);
  }
  return merged;
}

const mysql: ReplicationDialect = {
  gtidsOn: sql`SELECT @@GLOBAL.gtid_mode = 'ON' AS gtids`,
  primaryPosition: sql`SELECT @@GLOBAL.gtid_executed AS position`,
  replicaPosition: sql`SELECT @@GLOBAL.gtid_executed AS position`,
  status: sql`SHOW REPLICA STATUS`,
  waitFor: (position, ms) =>
    sql`SELECT WAIT_FOR_EXECUTED_GTID_SET(${position}, ${ms / 1000}) = 0 AS reached`,
  reached(have, need) {
    const applied = gtidSet(have);
    for (const [source, intervals] of gtidSet(need)) {
      const mine = applied.get(source) ?? [];
      const covered = intervals.every(([from, to]) =>
        mine.some(([start, end]) => start <= from && to <= end),
      );
      if (!covered) return false;
    }
    return true;
  },
  merge(a, b) {
    const merged = gtidSet(a);
    for (const [source, intervals] of gtidSet(b)) {
      merged.set(source, normalized([...(merged.get(source) ?? []), ...intervals]));
    }
    const ranges = (intervals: Intervals) =>
      intervals.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`));
    return [...merged]
      .map(([source, intervals]) => [source, ...ranges(intervals)].join(':'))
      .join(',');
  },
};

export function replicationDialect(dialect: Dialect): ReplicationDialect {
  return dialect === 'mariadb' ? mariadb : mysql;
}

/** The replica's own estimate of its lag in ms (Seconds_Behind_…), undefined when it has none. */
export function reportedLagMs(status: Record<string, unknown> | undefined): number | undefined {
  const seconds = status?.Seconds_Behind_Master ?? status?.Seconds_Behind_Source;
  return typeof seconds === 'number' || (typeof seconds === 'string' && /^\d+$/.test(seconds))
    ? Number(seconds) * 1000
    : undefined;
}

/** Whether the replica's status row says both its threads run (MariaDB and MySQL column names). */
export function isReplicating(status: Record<string, unknown> | undefined): boolean {
  if (!status) return false;
  const running = (names: string[]) => names.some((name) => status[name] === 'Yes');
  return (
    running(['Slave_IO_Running', 'Replica_IO_Running']) &&
    running(['Slave_SQL_Running', 'Replica_SQL_Running'])
  );
}

/** Replication positions: comparison and merge, with values written out by hand. */
import { describe, expect, it } from 'vitest';
import { replicationDialect, reportedLagMs } from '../src/db/replication/gtid.js';

describe('MariaDB GTID lists', () => {
  const dialect = replicationDialect('mariadb');
  const reached = (have: string, need: string) => dialect.reached(have, need);
  const merge = (a: string, b: string) => dialect.merge(a, b);

  it('has reached a position when every domain of it is at least as far', () => {
    expect(reached('0-1-100', '0-1-100')).toBe(true);
    expect(reached('0-1-101', '0-1-100')).toBe(true);
    expect(reached('0-1-99', '0-1-100')).toBe(false);
    // Domains count apart; one missing is not reached.
    expect(reached('0-1-100,1-2-5', '1-2-5,0-1-7')).toBe(true);
    expect(reached('0-1-100', '0-1-7,1-2-1')).toBe(false);
    expect(reached('0-1-100,1-2-4', '1-2-5')).toBe(false);
    // Nothing needed is always reached; a replica with nothing has reached nothing.
    expect(reached('', '')).toBe(true);
    expect(reached('0-1-3', '')).toBe(true);
    expect(reached('', '0-1-1')).toBe(false);
  });

  it('merges to the furthest of each domain', () => {
    expect(merge('0-1-100,1-2-5', '0-1-90,1-3-8,2-1-1')).toBe('0-1-100,1-3-8,2-1-1');
    expect(merge('', '0-1-4')).toBe('0-1-4');
  });
});

describe('MySQL GTID sets', () => {
  const dialect = replicationDialect('mysql');
  const reached = (have: string, need: string) => dialect.reached(have, need);
  const merge = (a: string, b: string) => dialect.merge(a, b);
  const a = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
  const b = '4f22ab58-71ca-11e1-9e33-c80aa9429563';

  it('has reached a set when it holds every transaction of it', () => {
    expect(reached(`${a}:1-10`, `${a}:1-10`)).toBe(true);
    expect(reached(`${a}:1-10`, `${a}:3-7`)).toBe(true);
    expect(reached(`${a}:1-5:7-10`, `${a}:1-10`)).toBe(false);
    expect(reached(`${a}:1-5:6-10`, `${a}:1-10`)).toBe(true);
    // As the server prints it: upper case, line breaks after commas.
    expect(reached(`${a.toUpperCase()}:1-10,\n${b}:1-3`, `${b}:2,${a}:9`)).toBe(true);
    expect(reached(`${a}:1-10`, `${b}:1`)).toBe(false);
    expect(reached('', '')).toBe(true);
    expect(reached('', `${a}:1`)).toBe(false);
  });

  it('keeps tagged transactions apart from untagged ones (MySQL 8.3+)', () => {
    expect(reached(`${a}:1-10`, `${a}:etl:1`)).toBe(false);
    expect(reached(`${a}:1-10:etl:1-2`, `${a}:etl:2,${a}:4`)).toBe(true);
  });

  it('merges to the union', () => {
    expect(merge(`${a}:1-5`, `${a}:6-9:12,${b}:1`)).toBe(`${a}:1-9:12,${b}:1`);
    expect(merge(`${a}:1-3`, `${a}:etl:1`)).toBe(`${a}:1-3,${a}:etl:1`);
  });
});

describe('reportedLagMs', () => {
  it('reads Seconds_Behind_Master or _Source, none when NULL', () => {
    expect(reportedLagMs({ Seconds_Behind_Master: 3 })).toBe(3_000);
    expect(reportedLagMs({ Seconds_Behind_Source: '12' })).toBe(12_000);
    expect(reportedLagMs({ Seconds_Behind_Master: null })).toBeUndefined();
    expect(reportedLagMs(undefined)).toBeUndefined();
  });
});

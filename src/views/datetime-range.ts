/**
 * The instants a DATETIME column holds (MySQL and MariaDB: years 1000 to 9999): the
 * range every date the gateway accepts (arguments, window ends, cursors) must lie in,
 * so that no invalid or unstorable date ever reaches SQL.
 */
export const EARLIEST_DATETIME = new Date('1000-01-01T00:00:00.000Z');
export const LATEST_DATETIME = new Date('9999-12-31T23:59:59.999Z');

/** True when `date` is a real instant inside the DATETIME range. */
export function isStorableDate(date: Date): boolean {
  const time = date.getTime();
  return (
    Number.isFinite(time) &&
    time >= EARLIEST_DATETIME.getTime() &&
    time <= LATEST_DATETIME.getTime()
  );
}

/** The range in words, for error messages. */
export const DATETIME_RANGE_TEXT = `from ${EARLIEST_DATETIME.toISOString()} to ${LATEST_DATETIME.toISOString()}`;

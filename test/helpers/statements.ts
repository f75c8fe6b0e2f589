/** Reading recorded SQL: which tables a statement touched. */

/** The tables a statement reads, from its FROM and JOIN clauses. */
export function tablesIn(statement: string): string[] {
  const tables = new Set<string>();
  for (const match of statement.matchAll(/\b(?:FROM|JOIN)\s+`?([a-z_]+)`?/gi))
    tables.add(match[1]!);
  return [...tables].sort();
}

/** One text per value: what cache keys, cursor tags and nodeIds are made of. */

/** JSON with object keys sorted and null fields left out: equal arguments, equal text. */
export function canonical(value: unknown): string {
  // Dates arrive as text: JSON.stringify applies toJSON before the replacer.
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner)
            .filter(([, v]) => v !== null && v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : inner,
  );
}

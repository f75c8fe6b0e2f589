/** Reading Prometheus text format in tests: one sample's value by name and labels. */

/** The labels of a sample line, e.g. `{code="BAD_USER_INPUT",le="0.5"}`. */
function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[match[1]!] = match[2]!;
  return labels;
}

/**
 * The value of the sample `name` whose labels include `labels`, or undefined when
 * there is none; several matching samples are summed (e.g. over other labels).
 */
export function sample(
  exposition: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  let total: number | undefined;
  for (const line of exposition.split('\n')) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = parseLabels(match[2] ?? '');
    if (Object.entries(labels).every(([key, value]) => have[key] === value)) {
      total = (total ?? 0) + Number(match[3]);
    }
  }
  return total;
}

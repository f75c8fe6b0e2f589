/** Throughput at concurrency 32 (unless told) with autocannon: median requests per second. */
import autocannon from 'autocannon';

export interface Load {
  request: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP97_5Ms: number;
  errors: number;
}

export async function load(
  request: string,
  url: string,
  key: string,
  query: string,
  seconds: number,
  {
    headers = {},
    connections = 32,
  }: { headers?: Record<string, string>; connections?: number } = {},
): Promise<Load> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify({ query }),
  });
  return {
    request,
    requestsPerSecond: result.requests.p50,
    latencyP50Ms: result.latency.p50,
    latencyP97_5Ms: result.latency.p97_5,
    errors: result.errors + result.non2xx,
  };
}

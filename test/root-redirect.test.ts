/** Issue 15, point 5: the server's own address sends a browser on to GraphiQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from './helpers/gateway.js';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await createTestGateway();
});
afterAll(() => gateway.drop());

describe('GET /', () => {
  it('redirects to GraphiQL, which a browser then gets', async () => {
    const root = await gateway.yoga.fetch('http://gateway.test/', {
      headers: { accept: 'text/html' },
    });
    expect(root.status).toBe(302);
    const location = root.headers.get('location');
    expect(location).toBe('/graphql');
    const page = await gateway.yoga.fetch(`http://gateway.test${location}`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('GraphiQL');
  });

  it('leaves other unknown paths at 404', async () => {
    const other = await gateway.yoga.fetch('http://gateway.test/nothing-here');
    expect(other.status).toBe(404);
  });
});

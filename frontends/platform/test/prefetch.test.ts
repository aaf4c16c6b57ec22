// api/prefetch.ts: a prefetched answer is parsed as it arrives and can be taken once, by its token,
// for a page's first render; before it has arrived the response itself is still there to wait for.
import t from 'tap';
import { startPrefetch, takePrefetched, takePrefetchedData } from '../src/api/prefetch.ts';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

t.test('an arrived answer is taken parsed, once', async (t) => {
  startPrefetch('/api/a', 'tok', async () => json({ items: [1, 2] }));
  await settle();
  const taken = takePrefetchedData('/api/a', 'tok');
  t.same(taken?.data, { items: [1, 2] });
  t.type(taken?.at, 'number');
  t.equal(takePrefetchedData('/api/a', 'tok'), undefined, 'taken once');
  t.equal(takePrefetched('/api/a', 'tok'), undefined, 'nor is the response handed out again');
});

t.test('before it has arrived nothing is taken, and the response can still be waited for', async (t) => {
  let answer: (res: Response) => void = () => undefined;
  startPrefetch('/api/b', 'tok', () => new Promise<Response>((resolve) => (answer = resolve)));
  t.equal(takePrefetchedData('/api/b', 'tok'), undefined);
  const response = takePrefetched('/api/b', 'tok');
  t.ok(response, 'the pending response is still there');
  answer(json({ ok: true }));
  t.same(await (await response)?.json(), { ok: true });
});

t.test('another token, or an error answer, gives nothing', async (t) => {
  startPrefetch('/api/c', 'old', async () => json({ x: 1 }));
  startPrefetch('/api/d', 'tok', async () => json({ code: 'NOPE' }, 500));
  await settle();
  t.equal(takePrefetchedData('/api/c', 'new'), undefined, 'made with another token');
  t.equal(takePrefetchedData('/api/c', 'old'), undefined, 'and dropped');
  t.equal(takePrefetchedData('/api/d', 'tok'), undefined, 'a 500 is not data');
  t.ok(takePrefetched('/api/d', 'tok'), 'its response is left for the request to read the problem');
});

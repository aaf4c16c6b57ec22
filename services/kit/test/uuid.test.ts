// uuidv7 from a pool of random bytes: valid version-7 ids, distinct, increasing within a process
// (as `uuid`'s v7 keeps them), across several refills of the pool.
import t from 'tap';
import { validate, version } from 'uuid';
import { uuidv7 } from '../src/uuid.ts';

t.test('version-7 ids, all distinct and increasing, across pool refills', async (t) => {
  const ids = Array.from({ length: 2_000 }, () => uuidv7()); // 256 per pool: several refills
  t.ok(ids.every((id) => validate(id) && version(id) === 7), 'valid version-7 UUIDs');
  t.equal(new Set(ids).size, ids.length, 'no two alike');
  t.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]!), 'each greater than the one before (same millisecond included)');
  const at = Number.parseInt(ids.at(-1)!.replace(/-/g, '').slice(0, 12), 16);
  t.ok(Math.abs(at - Date.now()) < 5_000, 'the timestamp bits are the time');
  t.not(ids[0]!.slice(19), ids[1]!.slice(19), 'random bits differ between ids');
});

// Assertions shared by the reliability tests: exactly-once effects.
import type { Test } from 'tap';
import type { Hub } from './harness.ts';

export async function assertExactlyOnce(t: Test, hub: Hub, expectedIds: string[], consumer = 'admin'): Promise<void> {
  const effects = await hub.effects(consumer);
  const counts = new Map<string, number>();
  for (const effect of effects) counts.set(effect.event_id, (counts.get(effect.event_id) ?? 0) + 1);
  t.equal(effects.length, expectedIds.length, `exactly ${expectedIds.length} effects`);
  t.equal(counts.size, expectedIds.length, 'every event applied');
  t.equal([...counts.values()].filter((n) => n > 1).length, 0, 'no event applied twice');
  t.same(expectedIds.filter((id) => !counts.has(id)), [], 'none missing');
}

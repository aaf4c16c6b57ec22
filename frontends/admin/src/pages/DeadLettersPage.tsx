import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Field, PageHeader, Select, useToast } from '@bank/ui';
import { EmptyState, Table, TBody, TD, TH, THead, TR } from '@bank/ui/data';
import { adminApi, CONSUMING_SERVICES, errorMessage, useDisplayLocale } from '@bank/platform';
import { formatTimestamp } from '@bank/platform/format';
import { QueryState } from '../components/QueryState.tsx';
import { isConsumingService } from '../components/dead-letter-queues.ts';

export function DeadLettersPage() {
  useDisplayLocale();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  // `queue` is the consuming service (`payments`), as the dead-letter endpoints expect.
  const requested = params.get('queue') ?? '';
  const queue = isConsumingService(requested) ? requested : '';
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const letters = useQuery({ queryKey: ['admin', 'dead-letters', queue], queryFn: () => adminApi.deadLetters(queue || undefined) });
  const replay = useMutation({
    mutationFn: (ids?: string[]) => {
      if (!queue) throw new Error('Choose a queue first.');
      return adminApi.replayDeadLetters(queue, ids);
    },
    onSuccess: (r) => {
      toast({ title: 'Replay requested', description: `${r.replayed} message(s) sent back to their queue.`, variant: 'success' });
      setSelected(new Set());
      void queryClient.invalidateQueries({ queryKey: ['admin'] });
    },
    onError: (e) => toast({ title: 'Replay failed', description: errorMessage(e), variant: 'error' }),
  });

  return (
    <section>
      <PageHeader
        title="Dead letters"
        description="Messages that failed after all retries. Fix the cause, then replay them."
        actions={
          <>
            <Button variant="outline" disabled={!queue || selected.size === 0} loading={replay.isPending} onClick={() => replay.mutate([...selected])}>Replay selected</Button>
            <Button disabled={!queue} loading={replay.isPending} onClick={() => replay.mutate(undefined)}>Replay all in queue</Button>
          </>
        }
      />
      <div className="mb-4 max-w-sm">
        <Field label="Queue" hint={queue ? undefined : 'Choose a queue to replay its messages.'}>
          <Select value={queue} onChange={(e) => { setSelected(new Set()); setParams(e.target.value ? { queue: e.target.value } : {}); }}>
            <option value="">All queues</option>
            {CONSUMING_SERVICES.map((q) => <option key={q} value={q}>{q}</option>)}
          </Select>
        </Field>
      </div>
      <QueryState query={letters} label="dead letters">
        {(d) =>
          d.items.length === 0 ? (
            <EmptyState title="No dead letters" description="Every message was processed." icon="✓" />
          ) : (
            <Card>
              <Table caption="Dead letters" stacked>
                <THead><tr><TH><span className="sr-only">Select</span></TH><TH>Message</TH><TH>Queue</TH><TH>Reason</TH><TH>Failed</TH></tr></THead>
                <TBody>
                  {d.items.map((m, index) => (
                    <TR key={m.id ?? `${m.queue}-${index}`}>
                      <TD label="Select" className="max-md:[&:empty]:hidden">
                        {/* Only messages with an event id can be replayed one by one; the others go with "Replay all". */}
                        {m.id && queue && (
                          <input
                            type="checkbox"
                            aria-label={`Select message ${m.id}`}
                            checked={selected.has(m.id)}
                            onChange={(e) => {
                              const id = m.id as string;
                              setSelected((s) => { const next = new Set(s); if (e.target.checked) next.add(id); else next.delete(id); return next; });
                            }}
                          />
                        )}
                      </TD>
                      <TD label="Message" className="font-mono text-xs break-all">{m.type ?? m.id ?? 'unknown message'}{m.retries > 0 && <span className="ml-1 font-sans text-muted-foreground">· {m.retries} retries</span>}</TD>
                      <TD label="Queue" className="font-mono text-xs">{m.queue}</TD>
                      <TD label="Reason" className="max-w-xs truncate text-muted-foreground max-md:max-w-none" title={m.detail ?? undefined}>{m.reason ?? '—'}</TD>
                      <TD label="Failed" className="whitespace-nowrap text-muted-foreground">{formatTimestamp(m.failedAt)}</TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            </Card>
          )
        }
      </QueryState>
    </section>
  );
}

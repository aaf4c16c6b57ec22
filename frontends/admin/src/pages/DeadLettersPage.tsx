import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, EmptyState, Field, PageHeader, Select, Table, TBody, TD, TH, THead, TR, useToast } from '@bank/ui';
import { adminApi, errorMessage, formatDateTime } from '@bank/platform';
import { QueryState } from '../components/QueryState.tsx';

export function DeadLettersPage() {
  const toast = useToast();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const queue = params.get('queue') ?? '';
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const health = useQuery({ queryKey: ['admin', 'health'], queryFn: adminApi.health });
  const letters = useQuery({ queryKey: ['admin', 'dead-letters', queue], queryFn: () => adminApi.deadLetters(queue || undefined) });
  const replay = useMutation({
    mutationFn: (ids?: string[]) => adminApi.replayDeadLetters(queue, ids),
    onSuccess: (r) => {
      toast({ title: 'Replay requested', description: `${r?.replayed ?? 'The'} message(s) sent back to their queue.`, variant: 'success' });
      setSelected(new Set());
      void queryClient.invalidateQueries({ queryKey: ['admin'] });
    },
    onError: (e) => toast({ title: 'Replay failed', description: errorMessage(e), variant: 'error' }),
  });
  const queues = health.data?.deadLetters.map((d) => d.queue) ?? [];

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
            {queues.map((q) => <option key={q} value={q}>{q}</option>)}
          </Select>
        </Field>
      </div>
      <QueryState query={letters} label="dead letters">
        {(d) =>
          d.items.length === 0 ? (
            <EmptyState title="No dead letters" description="Every message was processed." icon="✓" />
          ) : (
            <Card>
              <Table caption="Dead letters">
                <THead><tr><TH><span className="sr-only">Select</span></TH><TH>Message</TH><TH>Queue</TH><TH>Reason</TH><TH>Failed</TH></tr></THead>
                <TBody>
                  {d.items.map((m) => (
                    <TR key={m.id}>
                      <TD>
                        <input
                          type="checkbox"
                          aria-label={`Select message ${m.id}`}
                          checked={selected.has(m.id)}
                          onChange={(e) => setSelected((s) => { const next = new Set(s); if (e.target.checked) next.add(m.id); else next.delete(m.id); return next; })}
                        />
                      </TD>
                      <TD className="font-mono text-xs">{m.type ?? m.routingKey ?? m.id}</TD>
                      <TD className="font-mono text-xs">{m.queue ?? queue}</TD>
                      <TD className="max-w-xs truncate text-muted-foreground">{m.reason ?? '—'}</TD>
                      <TD className="whitespace-nowrap text-muted-foreground">{formatDateTime(m.failedAt)}</TD>
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

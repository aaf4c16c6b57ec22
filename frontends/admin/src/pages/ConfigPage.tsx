import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Dialog, EmptyState, Field, PageHeader, Table, TBody, TD, TH, THead, TR, Textarea, useToast } from '@bank/ui';
import { adminApi, errorMessage, formatDateTime, shortId, type ConfigEntry } from '@bank/platform';
import { QueryState } from '../components/QueryState.tsx';

function ConfigHistory({ configKey }: { configKey: string }) {
  const query = useQuery({ queryKey: ['admin', 'config', configKey, 'history'], queryFn: () => adminApi.configHistory(configKey) });
  return (
    <QueryState query={query} label="history">
      {(h) => (
        <ol className="max-h-64 overflow-y-auto text-sm" aria-label={`History of ${configKey}`}>
          {h.items.map((v) => (
            <li key={v.version} className="border-b border-border py-2 last:border-0">
              <div className="flex justify-between text-xs text-muted-foreground">
                <span>v{v.version} · {shortId(v.updatedBy)}</span>
                <time dateTime={v.updatedAt}>{formatDateTime(v.updatedAt)}</time>
              </div>
              <code className="block truncate font-mono text-xs">{JSON.stringify(v.value)}</code>
            </li>
          ))}
        </ol>
      )}
    </QueryState>
  );
}

export function ConfigPage() {
  const toast = useToast();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['admin', 'config'], queryFn: adminApi.config });
  const [editing, setEditing] = useState<ConfigEntry | null>(null);
  const [history, setHistory] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [parseError, setParseError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: ({ key, value }: { key: string; value: unknown }) => adminApi.putConfig(key, value),
    onSuccess: (_r, v) => {
      toast({ title: 'Configuration saved', description: v.key, variant: 'success' });
      setEditing(null);
      void queryClient.invalidateQueries({ queryKey: ['admin', 'config'] });
    },
  });

  function open(entry: ConfigEntry) {
    setEditing(entry);
    setDraft(JSON.stringify(entry.value, null, 2));
    setParseError(null);
    save.reset();
  }
  function submit() {
    if (!editing) return;
    try {
      save.mutate({ key: editing.key, value: JSON.parse(draft) as unknown });
    } catch {
      setParseError('The value must be valid JSON (strings in double quotes).');
    }
  }

  return (
    <section>
      <PageHeader title="System configuration" description="Run-time settings read by the services. Changes are versioned and audited." />
      <QueryState query={query} label="configuration">
        {(c) =>
          c.items.length === 0 ? (
            <EmptyState title="No configuration keys" />
          ) : (
            <Card>
              <Table caption="Configuration">
                <THead><tr><TH>Key</TH><TH>Value</TH><TH>Version</TH><TH className="hidden md:table-cell">Updated</TH><TH><span className="sr-only">Actions</span></TH></tr></THead>
                <TBody>
                  {c.items.map((e) => (
                    <TR key={e.key}>
                      <TD className="font-mono text-xs font-semibold">{e.key}</TD>
                      <TD className="max-w-xs truncate font-mono text-xs">{JSON.stringify(e.value)}</TD>
                      <TD>v{e.version}</TD>
                      <TD className="hidden whitespace-nowrap text-muted-foreground md:table-cell">{formatDateTime(e.updatedAt)}</TD>
                      <TD className="whitespace-nowrap text-right">
                        <Button size="sm" variant="ghost" onClick={() => setHistory(e.key)} aria-label={`History of ${e.key}`}>History</Button>
                        <Button size="sm" variant="outline" onClick={() => open(e)} aria-label={`Edit ${e.key}`}>Edit</Button>
                      </TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            </Card>
          )
        }
      </QueryState>
      <Dialog
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={`Edit ${editing?.key ?? ''}`}
        description="The value is JSON. Saving creates a new version."
        footer={
          <>
            <Button variant="outline" onClick={() => setEditing(null)}>Cancel</Button>
            <Button loading={save.isPending} onClick={submit}>Save</Button>
          </>
        }
      >
        {save.isError && <Alert tone="error">{errorMessage(save.error)}</Alert>}
        <Field label="Value (JSON)" error={parseError ?? undefined}>
          <Textarea rows={8} className="font-mono text-xs" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </Field>
      </Dialog>
      <Dialog open={history !== null} onClose={() => setHistory(null)} title={`History of ${history ?? ''}`} footer={<Button variant="outline" onClick={() => setHistory(null)}>Close</Button>}>
        {history && <ConfigHistory configKey={history} />}
      </Dialog>
    </section>
  );
}

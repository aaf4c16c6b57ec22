import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Field, Input, PageHeader, Select, Textarea, useToast } from '@bank/ui';
import { EmptyState, Table, TBody, TD, TH, THead, TR } from '@bank/ui/data';
import { Dialog } from '@bank/ui/dialog';
import { adminApi, errorMessage, useDisplayLocale, type ConfigEntry } from '@bank/platform';
import { formatDateTime, shortId } from '@bank/platform/format';
import { CONFIG_CATALOGUE, CONFIG_KEYS, configValueErrors, isCatalogueKey } from '@bank/events/config-catalogue';
import { QueryState } from '../components/QueryState.tsx';

/** The admin API's key rule (ConfigKeyParams): checked here so a typo is explained, not a 400. */
const KEY_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,99}$/;
const OTHER_KEY = '__other__';

/** Errors of a draft: not JSON, or (catalogue key) not matching its schema — the admin API checks again. */
function draftErrors(key: string, draft: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(draft) as unknown;
  } catch {
    return ['The value must be valid JSON (strings in double quotes).'];
  }
  return isCatalogueKey(key) ? configValueErrors(key, value) : [];
}

function KeyHelp({ configKey }: { configKey: string }) {
  if (!isCatalogueKey(configKey)) return <p className="text-sm text-muted-foreground">Not in the catalogue: stored and versioned, applied by no service.</p>;
  const def = CONFIG_CATALOGUE[configKey];
  return (
    <div className="space-y-1 text-sm">
      <p>{def.description}</p>
      <p className="text-xs text-muted-foreground">
        Applied by {def.appliedBy.length ? def.appliedBy.join(', ') : 'no component yet'} · {def.restartRequired ? 'needs a restart' : 'takes effect within a second'} · default{' '}
        <code className="font-mono">{JSON.stringify(def.default)}</code>
      </p>
    </div>
  );
}

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
  useDisplayLocale();
  const toast = useToast();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['admin', 'config'], queryFn: adminApi.config });
  const [editing, setEditing] = useState<Pick<ConfigEntry, 'key' | 'value'> | null>(null);
  const [creating, setCreating] = useState(false);
  const [history, setHistory] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [parseError, setParseError] = useState<string | null>(null);
  // A key outside the catalogue: typed by the admin, stored and versioned, applied by no service.
  const [customKey, setCustomKey] = useState<string | null>(null);
  const [keyError, setKeyError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: ({ key, value }: { key: string; value: unknown }) => adminApi.putConfig(key, value),
    onSuccess: (_r, v) => {
      toast({ title: 'Configuration saved', description: v.key, variant: 'success' });
      setEditing(null);
      setCreating(false);
      void queryClient.invalidateQueries({ queryKey: ['admin', 'config'] });
    },
  });

  const existing = query.data?.items ?? [];

  function open(entry: Pick<ConfigEntry, 'key' | 'value'>, isNew = false) {
    setCustomKey(null);
    setKeyError(null);
    setEditing(entry);
    setCreating(isNew);
    setDraft(JSON.stringify(entry.value, null, 2));
    setParseError(null);
    save.reset();
  }
  /** A catalogue key, prefilled with its current value or its default. */
  function openCatalogueKey(key: string) {
    const current = existing.find((e) => e.key === key);
    open({ key, value: current ? current.value : isCatalogueKey(key) ? CONFIG_CATALOGUE[key].default : null }, current === undefined);
  }
  function chooseOtherKey() {
    setCustomKey('');
    setEditing({ key: '', value: null });
    setDraft('null');
    setParseError(null);
    setKeyError(null);
  }
  function submit() {
    if (!editing) return;
    if (customKey !== null) {
      const key = customKey.trim();
      if (!KEY_PATTERN.test(key)) {
        setKeyError('Letters, digits, ".", "_" and "-", starting with a letter or digit (at most 100).');
        return;
      }
      if (existing.some((e) => e.key === key)) {
        setKeyError('This key exists already: edit it from the list.');
        return;
      }
      if (isCatalogueKey(key)) {
        openCatalogueKey(key);
        return;
      }
      setKeyError(null);
      const errors = draftErrors(key, draft);
      if (errors.length) {
        setParseError(errors.join('; '));
        return;
      }
      save.mutate({ key, value: JSON.parse(draft) as unknown });
      return;
    }
    const errors = draftErrors(editing.key, draft);
    if (errors.length) {
      setParseError(errors.join('; '));
      return;
    }
    save.mutate({ key: editing.key, value: JSON.parse(draft) as unknown });
  }

  return (
    <section>
      <PageHeader
        title="System configuration"
        description="Run-time settings read by the services. Changes are versioned and audited."
        actions={<Button onClick={() => openCatalogueKey(CONFIG_KEYS.find((k) => !existing.some((e) => e.key === k)) ?? CONFIG_KEYS[0] ?? '')}>Add key</Button>}
      />
      <QueryState query={query} label="configuration">
        {(c) =>
          c.items.length === 0 ? (
            <EmptyState
              title="No configuration keys"
              description="Every setting is at its default. Add a key to change one."
              action={<Button onClick={() => openCatalogueKey(CONFIG_KEYS[0] ?? '')}>Add key</Button>}
            />
          ) : (
            <Card>
              <Table caption="Configuration" stacked>
                <THead><tr><TH>Key</TH><TH>Value</TH><TH>Version</TH><TH className="hidden md:table-cell">Updated</TH><TH><span className="sr-only">Actions</span></TH></tr></THead>
                <TBody>
                  {c.items.map((e) => (
                    <TR key={e.key}>
                      <TD label="Key" className="font-mono text-xs font-semibold break-all">{e.key}</TD>
                      <TD label="Value" className="max-w-xs truncate font-mono text-xs max-md:max-w-none">{JSON.stringify(e.value)}</TD>
                      <TD label="Version">v{e.version}</TD>
                      <TD label="Updated" className="hidden whitespace-nowrap text-muted-foreground md:table-cell">{formatDateTime(e.updatedAt)}</TD>
                      <TD className="whitespace-nowrap text-right max-md:justify-end">
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
        title={creating ? 'Add a configuration key' : `Edit ${editing?.key ?? ''}`}
        description="The value is JSON, checked against the key's schema. Saving creates a new version."
        footer={
          <>
            <Button variant="outline" onClick={() => setEditing(null)}>Cancel</Button>
            <Button loading={save.isPending} onClick={submit}>Save</Button>
          </>
        }
      >
        {save.isError && <Alert tone="error">{errorMessage(save.error)}</Alert>}
        {creating && (
          <Field label="Key">
            <Select value={customKey !== null ? OTHER_KEY : (editing?.key ?? '')} onChange={(e) => (e.target.value === OTHER_KEY ? chooseOtherKey() : openCatalogueKey(e.target.value))}>
              {CONFIG_KEYS.map((k) => (
                <option key={k} value={k}>{k}{existing.some((e) => e.key === k) ? ' (set)' : ''}</option>
              ))}
              <option value={OTHER_KEY}>Another key (not in the catalogue)…</option>
            </Select>
          </Field>
        )}
        {creating && customKey !== null && (
          <Field label="New key name" error={keyError ?? undefined} hint="e.g. team.feature-flag">
            <Input value={customKey} spellCheck={false} autoComplete="off" onChange={(e) => setCustomKey(e.target.value)} />
          </Field>
        )}
        {editing && customKey === null && <KeyHelp configKey={editing.key} />}
        <Field label="Value (JSON)" error={parseError ?? undefined}>
          <Textarea
            rows={8}
            className="font-mono text-xs"
            value={draft}
            onChange={(e) => {
              setDraft(e.target.value);
              setParseError(editing ? draftErrors(editing.key, e.target.value).join('; ') || null : null);
            }}
          />
        </Field>
      </Dialog>
      <Dialog open={history !== null} onClose={() => setHistory(null)} title={`History of ${history ?? ''}`} footer={<Button variant="outline" onClick={() => setHistory(null)}>Close</Button>}>
        {history && <ConfigHistory configKey={history} />}
      </Dialog>
    </section>
  );
}

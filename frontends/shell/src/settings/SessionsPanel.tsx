import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, CardContent, CardDescription, CardHeader, CardTitle, PageLoader, useToast } from '@bank/ui';
import { Badge, EmptyState } from '@bank/ui/data';
import { authApi, errorMessage } from '@bank/platform';
import { formatDateTime, formatRelative } from '@bank/platform/format';

const KEY = ['auth', 'sessions'] as const;

export function SessionsPanel() {
  const toast = useToast();
  const queryClient = useQueryClient();
  const sessions = useQuery({ queryKey: KEY, queryFn: authApi.sessions });
  const revoke = useMutation({
    mutationFn: (id: string) => authApi.revokeSession(id),
    onSuccess: () => {
      toast({ title: 'Device signed out', variant: 'success' });
      void queryClient.invalidateQueries({ queryKey: KEY });
    },
    onError: (e) => toast({ title: 'Could not sign out the device', description: errorMessage(e), variant: 'error' }),
  });
  const revokeOthers = useMutation({
    mutationFn: () => authApi.revokeOtherSessions(),
    onSuccess: (r) => {
      toast({ title: 'Other devices signed out', description: `${r.revoked} session(s) ended.`, variant: 'success' });
      void queryClient.invalidateQueries({ queryKey: KEY });
    },
    onError: (e) => toast({ title: 'Could not sign out other devices', description: errorMessage(e), variant: 'error' }),
  });

  if (sessions.isPending) return <PageLoader label="Loading sessions" />;
  if (sessions.isError) return <Alert tone="error" title="Could not load your sessions">{errorMessage(sessions.error)}</Alert>;
  const items = [...sessions.data.items].sort((a, b) => Number(b.current) - Number(a.current));
  const others = items.filter((s) => !s.current).length;

  return (
    <Card>
      <CardHeader className="sm:flex-row sm:items-start sm:justify-between">
        <div>
          <CardTitle>Devices &amp; sessions</CardTitle>
          <CardDescription>Where your account is signed in. Sign out anything you do not recognise.</CardDescription>
        </div>
        <Button variant="destructive" size="sm" disabled={others === 0} loading={revokeOthers.isPending} onClick={() => revokeOthers.mutate()}>
          Log out other devices
        </Button>
      </CardHeader>
      <CardContent>
        {items.length === 0 ? (
          <EmptyState title="No active sessions" />
        ) : (
          <ul className="divide-y divide-border" aria-label="Active sessions">
            {items.map((s) => (
              <li key={s.id} data-session-id={s.id} data-current={s.current} className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center sm:justify-between">
                <div>
                  <p className="flex items-center gap-2 text-sm font-medium">
                    {s.deviceName ?? s.userAgent ?? 'Unknown device'}
                    {s.current && <Badge tone="success">This device</Badge>}
                  </p>
                  <p className="text-xs text-muted-foreground">
                    {s.ip ?? 'unknown IP'} · signed in {formatDateTime(s.createdAt)} · active {formatRelative(s.lastActiveAt)}
                  </p>
                </div>
                {!s.current && (
                  <Button variant="outline" size="sm" loading={revoke.isPending && revoke.variables === s.id} onClick={() => revoke.mutate(s.id)} aria-label={`Sign out ${s.deviceName ?? 'device'} (${s.ip ?? 'unknown IP'})`}>
                    Sign out
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

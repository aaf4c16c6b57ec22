import { useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Input, Label, PageHeader, Select, useToast } from '@bank/ui';
import { EmptyState, Pagination, StatusBadge, Table, TBody, TD, TH, THead, TR, useCursorPages } from '@bank/ui/data';
import { ConfirmDialog } from '@bank/ui/dialog';
import { adminApi, errorMessage, useCurrentUser, useDisplayLocale, type Role, type User } from '@bank/platform';
import { formatDateTime } from '@bank/platform/format';
import { QueryState } from '../components/QueryState.tsx';

const ROLES: Role[] = ['CUSTOMER', 'VENDOR', 'ADMIN'];

export function UsersPage() {
  useDisplayLocale();
  const me = useCurrentUser();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const pages = useCursorPages();
  const [toDisable, setToDisable] = useState<User | null>(null);
  const [toEnable, setToEnable] = useState<User | null>(null);
  // The dropdown only proposes a role; it changes once the dialog is confirmed.
  const [roleChange, setRoleChange] = useState<{ user: User; role: Role } | null>(null);
  const cursor = pages.cursor;
  const query = useQuery({ queryKey: ['admin', 'users', q, cursor], queryFn: () => adminApi.users(q, cursor), placeholderData: keepPreviousData });

  const changeRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: Role }) => adminApi.changeRole(id, role),
    onSuccess: (_u, v) => {
      toast({ title: 'Role updated', description: `The user is now ${v.role}.`, variant: 'success' });
      setRoleChange(null);
      void queryClient.invalidateQueries({ queryKey: ['admin'] });
    },
    onError: (e) => {
      setRoleChange(null);
      toast({ title: 'Role not changed', description: errorMessage(e), variant: 'error' });
    },
  });
  const disable = useMutation({
    mutationFn: (id: string) => adminApi.disableUser(id),
    onSuccess: () => {
      toast({ title: 'User disabled', variant: 'success' });
      setToDisable(null);
      void queryClient.invalidateQueries({ queryKey: ['admin'] });
    },
    onError: (e) => toast({ title: 'User not disabled', description: errorMessage(e), variant: 'error' }),
  });

  const enable = useMutation({
    mutationFn: (id: string) => adminApi.enableUser(id),
    onSuccess: () => {
      toast({ title: 'User enabled', description: 'They can sign in again.', variant: 'success' });
      setToEnable(null);
      void queryClient.invalidateQueries({ queryKey: ['admin'] });
    },
    onError: (e) => toast({ title: 'User not enabled', description: errorMessage(e), variant: 'error' }),
  });

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setQ(String(new FormData(event.currentTarget).get('q') ?? '').trim());
    pages.reset();
  }

  return (
    <section>
      <PageHeader title="Users" description="Search customers, change roles, disable and re-enable accounts. Every change is audited." />
      <form role="search" onSubmit={search} className="mb-4 flex max-w-lg flex-wrap items-end gap-2">
        <div className="flex min-w-0 flex-1 flex-col gap-1.5">
          <Label htmlFor="user-search">Search by name or email</Label>
          <Input id="user-search" name="q" type="search" defaultValue={q} />
        </div>
        <Button type="submit">Search</Button>
      </form>
      <QueryState query={query} label="users">
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title="No users found" description="Try another search." />
          ) : (
            <Card>
              <Table caption="Users" stacked>
                <THead><tr><TH>Name</TH><TH>Email</TH><TH>Role</TH><TH>Status</TH><TH className="hidden lg:table-cell">Joined</TH><TH><span className="sr-only">Actions</span></TH></tr></THead>
                <TBody>
                  {page.items.map((u) => (
                    <TR key={u.id} data-user-email={u.email}>
                      <TD label="Name" className="font-medium">{u.name}</TD>
                      <TD label="Email" className="break-all text-muted-foreground">{u.email}</TD>
                      <TD label="Role">
                        <Select
                          aria-label={`Role of ${u.email}`}
                          className="h-8 w-36"
                          value={u.role}
                          disabled={u.id === me?.id || changeRole.isPending}
                          onChange={(e) => setRoleChange({ user: u, role: e.target.value as Role })}
                        >
                          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                        </Select>
                      </TD>
                      <TD label="Status"><StatusBadge status={u.status} /></TD>
                      <TD label="Joined" className="hidden whitespace-nowrap text-muted-foreground lg:table-cell">{formatDateTime(u.createdAt)}</TD>
                      <TD className="text-right max-md:justify-end">
                        {u.status.toLowerCase() === 'disabled' ? (
                          <Button variant="outline" size="sm" onClick={() => setToEnable(u)} aria-label={`Enable ${u.email}`}>
                            Enable
                          </Button>
                        ) : (
                          <Button variant="outline" size="sm" disabled={u.id === me?.id} onClick={() => setToDisable(u)} aria-label={`Disable ${u.email}`}>
                            Disable
                          </Button>
                        )}
                      </TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
              <div className="border-t border-border px-4">
                <Pagination page={pages.page} hasPrevious={pages.hasPrevious} hasNext={Boolean(page.nextCursor)} onPrevious={pages.previous} onNext={() => pages.next(page.nextCursor)} />
              </div>
            </Card>
          )
        }
      </QueryState>
      <ConfirmDialog
        open={roleChange !== null}
        title={roleChange?.role === 'ADMIN' ? 'Make this user an administrator?' : 'Change this user’s role?'}
        description={roleChange ? `${roleChange.user.email}: ${roleChange.user.role} → ${roleChange.role}.${roleChange.role === 'ADMIN' ? ' Administrators can manage every user, payment and setting.' : ''} Their open sessions switch to the new role.` : undefined}
        confirmLabel={roleChange ? `Make ${roleChange.role}` : 'Change role'}
        cancelLabel="Keep current role"
        tone={roleChange?.role === 'ADMIN' ? 'destructive' : 'primary'}
        loading={changeRole.isPending}
        onConfirm={() => roleChange && changeRole.mutate({ id: roleChange.user.id, role: roleChange.role })}
        onCancel={() => setRoleChange(null)}
      />
      <ConfirmDialog
        open={toDisable !== null}
        title="Disable this user?"
        description={`${toDisable?.email ?? ''} will be signed out everywhere and cannot sign in again until re-enabled.`}
        confirmLabel="Disable user"
        cancelLabel="Keep active"
        tone="destructive"
        loading={disable.isPending}
        onConfirm={() => toDisable && disable.mutate(toDisable.id)}
        onCancel={() => setToDisable(null)}
      />
      <ConfirmDialog
        open={toEnable !== null}
        title="Enable this user again?"
        description={`${toEnable?.email ?? ''} will be able to sign in again. Their old sessions stay signed out.`}
        confirmLabel="Enable user"
        cancelLabel="Keep disabled"
        loading={enable.isPending}
        onConfirm={() => toEnable && enable.mutate(toEnable.id)}
        onCancel={() => setToEnable(null)}
      />
    </section>
  );
}

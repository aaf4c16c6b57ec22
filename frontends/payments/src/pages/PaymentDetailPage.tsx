import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useState } from 'react';
import { Alert, Button, Card, CardContent, CardHeader, CardTitle, PageHeader, PageLoader, useToast } from '@bank/ui';
import { Badge, StatusBadge } from '@bank/ui/data';
import { ConfirmDialog } from '@bank/ui/dialog';
import {
  errorMessage, getRuntimeConfig, paymentsApi, useDisplayLocale, useIsAdmin, type PaymentDetail, type PaymentParty, type PaymentStatus,
} from '@bank/platform';
import { formatDateTime, formatMoney, formatTimestamp } from '@bank/platform/format';
import { counterpartyLabel, DIRECTION_LABEL, partyName, signedAmount, SignedAmount } from '../components/payment-parties.tsx';

const FINAL: PaymentStatus[] = ['completed', 'failed', 'cancelled'];

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5 py-2 sm:flex-row sm:justify-between">
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className="text-sm font-medium break-all sm:text-right">{children}</dd>
    </div>
  );
}

function Timeline({ payment }: { payment: PaymentDetail }) {
  const steps = [...(payment.transactions ?? [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (steps.length === 0) return <p className="text-sm text-muted-foreground">No status changes recorded yet.</p>;
  return (
    <ol className="relative ml-2 border-l border-border" aria-label="Status timeline">
      {steps.map((t) => (
        <li key={t.id} className="mb-5 ml-5 last:mb-0" data-status={t.toStatus}>
          <span aria-hidden className="absolute -left-[7px] mt-1 h-3 w-3 rounded-full border-2 border-card bg-primary" />
          <div className="flex flex-wrap items-center gap-2">
            <StatusBadge status={t.toStatus} />
            {/* With seconds: the steps of one payment are often within the same minute. */}
            <time className="text-xs text-muted-foreground tabular-nums" dateTime={t.createdAt}>{formatTimestamp(t.createdAt)}</time>
          </div>
          {t.reason && <p className="mt-1 text-sm text-muted-foreground">{t.reason}</p>}
        </li>
      ))}
    </ol>
  );
}

function PartyText({ party, fallback }: { party: PaymentParty; fallback?: string | null }) {
  return (
    <>
      {partyName(party, fallback ?? undefined)}
      {party.name && party.email && <span className="block text-xs font-normal text-muted-foreground">{party.email}</span>}
    </>
  );
}

export function PaymentDetailPage() {
  useDisplayLocale();
  const admin = useIsAdmin();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const { id = '' } = useParams();
  const toast = useToast();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['payments', 'detail', id],
    queryFn: () => paymentsApi.get(id),
    // Real-time events refresh this page; polling covers the time until the socket is up (or if
    // it is not available at all). Stops once the payment is final.
    refetchInterval: (q) => (q.state.data && FINAL.includes(q.state.data.status) ? false : (getRuntimeConfig().paymentPollMs ?? 2000)),
  });
  const cancel = useMutation({
    mutationFn: () => paymentsApi.cancel(id),
    onSuccess: () => {
      setConfirmCancel(false);
      toast({ title: 'Payment cancelled', variant: 'success' });
      void queryClient.invalidateQueries({ queryKey: ['payments'] });
    },
    onError: (e) => {
      setConfirmCancel(false);
      toast({ title: 'Could not cancel', description: errorMessage(e), variant: 'error' });
    },
  });

  if (query.isPending) return <PageLoader label="Loading payment" />;
  if (query.isError) {
    return (
      <div className="flex flex-col gap-4">
        <Alert tone="error" title="Could not load this payment">{errorMessage(query.error)}</Alert>
        <Link to="/payments" className="text-sm text-primary hover:underline">← Back to payments</Link>
      </div>
    );
  }
  const p = query.data;
  const final = FINAL.includes(p.status);
  // A recipient may read a payment but not cancel it (the API answers 403); an admin may.
  const mayCancel = p.status === 'pending' && (p.direction === 'sent' || admin);
  return (
    <section>
      <Link to="/payments" className="mb-3 inline-block text-sm text-primary hover:underline">← All payments</Link>
      <PageHeader
        title={signedAmount(p)}
        documentTitle={`${p.direction ? `${DIRECTION_LABEL[p.direction]} payment` : 'Payment'} ${formatMoney(p.amount, p.currency)}`}
        description={<>{counterpartyLabel(p)} · created {formatDateTime(p.createdAt)}</>}
        actions={
          <>
            {p.direction && <Badge tone={p.direction === 'received' ? 'success' : 'neutral'} data-testid="payment-direction">{DIRECTION_LABEL[p.direction]}</Badge>}
            <span aria-live="polite" data-testid="payment-status"><StatusBadge status={p.status} /></span>
            {mayCancel && (
              <Button variant="outline" size="sm" loading={cancel.isPending} onClick={() => setConfirmCancel(true)}>Cancel payment</Button>
            )}
          </>
        }
      />
      <ConfirmDialog
        open={confirmCancel}
        title="Cancel this payment?"
        description={`${formatMoney(p.amount, p.currency)} to ${partyName(p.recipient, p.recipientEmail ?? undefined)} will not be sent. This cannot be undone.`}
        confirmLabel="Cancel payment"
        cancelLabel="Keep payment"
        tone="destructive"
        loading={cancel.isPending}
        onConfirm={() => cancel.mutate()}
        onCancel={() => setConfirmCancel(false)}
      />
      {p.status === 'failed' && (
        <Alert tone="error" title="Payment failed" className="mb-4" data-testid="payment-failure">
          {p.failureReason ?? 'The payment could not be processed.'}
        </Alert>
      )}
      {p.status === 'completed' && <Alert tone="success" title="Payment completed" className="mb-4">The money has been delivered.</Alert>}
      {!final && <Alert tone="info" title="Processing" className="mb-4">This page updates by itself as the payment progresses.</Alert>}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-5">
        <Card className="lg:col-span-3">
          <CardHeader><CardTitle>Details</CardTitle></CardHeader>
          <CardContent>
            <dl className="divide-y divide-border">
              <Row label="Reference">{p.id}</Row>
              {p.direction && <Row label="Direction">{DIRECTION_LABEL[p.direction]}</Row>}
              <Row label="From"><PartyText party={p.sender} /></Row>
              <Row label="To"><PartyText party={p.recipient} fallback={p.recipientEmail} /></Row>
              <Row label="Amount"><SignedAmount payment={p} /></Row>
              <Row label="Type">{p.type}</Row>
              <Row label="Description">{p.description ?? '—'}</Row>
              <Row label="Last update">{formatTimestamp(p.updatedAt)}</Row>
            </dl>
          </CardContent>
        </Card>
        <Card className="lg:col-span-2">
          <CardHeader><CardTitle>Status history</CardTitle></CardHeader>
          <CardContent><Timeline payment={p} /></CardContent>
        </Card>
      </div>
    </section>
  );
}

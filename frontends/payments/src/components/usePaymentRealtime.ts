import { useQueryClient } from '@tanstack/react-query';
import { useRealtime } from '@bank/platform';

/** Any payment event refreshes the cached list and that payment's detail. */
export function usePaymentRealtime(): void {
  const queryClient = useQueryClient();
  useRealtime<{ id?: string; paymentId?: string }>('*', (message) => {
    if (!message.type.startsWith('payment:')) return;
    const id = message.payload?.id ?? message.payload?.paymentId;
    void queryClient.invalidateQueries({ queryKey: ['payments', 'list'] });
    if (id) void queryClient.invalidateQueries({ queryKey: ['payments', 'detail', id] });
  });
}

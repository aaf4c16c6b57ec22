// Health reports dead-letter queues by their RabbitMQ name (`payments.dlq`); the dead-letter
// endpoints take the consuming service (`payments`). One mapping for both pages.
import { CONSUMING_SERVICES, type ConsumingService } from '@bank/platform';

export function serviceOfDeadLetterQueue(queue: string): ConsumingService | '' {
  const service = queue.replace(/\.dlq$/, '');
  return (CONSUMING_SERVICES as readonly string[]).includes(service) ? (service as ConsumingService) : '';
}

export function isConsumingService(value: string): value is ConsumingService {
  return (CONSUMING_SERVICES as readonly string[]).includes(value);
}

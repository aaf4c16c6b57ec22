// Admin's error catalogue: stable codes clients and tests can rely on.
import { defineError } from '@bank/kit';

export const ConfigNotFound = defineError('ADMIN_CONFIG_NOT_FOUND', 404, 'Configuration key not found');
export const ConfigInvalidValue = defineError('ADMIN_CONFIG_INVALID_VALUE', 400, 'Invalid value for this configuration key');
export const ConfigVersionConflict = defineError('ADMIN_CONFIG_VERSION_CONFLICT', 409, 'Configuration changed meanwhile');
export const UpstreamUnavailable = defineError('ADMIN_UPSTREAM_UNAVAILABLE', 502, 'A service this request depends on is unavailable');
export const InvalidRange = defineError('ADMIN_INVALID_RANGE', 400, 'Invalid time range');
export const InvalidReplayTarget = defineError('ADMIN_INVALID_REPLAY_TARGET', 400, 'The target does not consume this event type');
export const BrokerUnavailable = defineError('ADMIN_BROKER_UNAVAILABLE', 503, 'RabbitMQ is unavailable');

// Re-exports of the hub helpers the tests use, plus the consuming services' list.
export { amqpProperties, createEvent, createEventConnection, declareTopology, encodeEvent, exchangeName, queueNames } from '@bank/events';
export type { AnyEventEnvelope } from '@bank/events';
export { CONSUMING_SERVICES as CONSUMING } from '../src/domain/hub.ts';

// Subset schemas of the CloudNativePG and RabbitMQ custom resources this repository uses.
// No npm package ships these operators' CRDs or models, and nothing outside the npm and Debian
// registries can be fetched here, so the real CRDs cannot be loaded offline. These schemas list
// only the fields k8s/ uses, typed after the operators' API references for the versions
// scripts/kind-up pins (CloudNativePG chart 0.26.0 = operator 1.27, postgresql.cnpg.io/v1;
// RabbitMQ cluster-operator v2.16.0 and messaging-topology-operator v1.17.2, rabbitmq.com/v1beta1).
// Every object level rejects unknown fields, so a typo or a field of another version fails; a
// real field the repository starts to use must be added here (deliberately: check it in the
// operator's CRD of the pinned version first). Where the CRD takes a free string the operator
// then interprets (exchange and queue types), the enum here is the operator's documented set.
type Obj = Record<string, unknown>;
const ref = { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', minLength: 1 }, namespace: { type: 'string' } } };
const rq = { type: 'object', additionalProperties: false, properties: { cpu: { type: ['string', 'number'] }, memory: { type: 'string' } } };
const resources = { type: 'object', additionalProperties: false, properties: { requests: rq, limits: rq } };
const strict = (required: string[], properties: Obj) => ({ type: 'object', additionalProperties: false, required, properties });
export const CRD_SUBSET_SCHEMAS: Record<string, { operator: string; schema: Obj }> = Object.fromEntries(Object.entries({
  'postgresql.cnpg.io/v1/Cluster': strict(['instances', 'storage', 'bootstrap'], {
    instances: { type: 'integer', minimum: 1 }, imageName: { type: 'string' }, primaryUpdateStrategy: { enum: ['unsupervised', 'supervised'] },
    storage: strict(['size'], { size: { type: 'string', pattern: '^[0-9]+(Mi|Gi|Ti)$' }, storageClass: { type: 'string' } }), resources,
    postgresql: strict([], { parameters: { type: 'object', additionalProperties: { type: 'string' } } }),
    bootstrap: strict(['initdb'], { initdb: strict(['database', 'owner', 'secret'], { database: { type: 'string' }, owner: { type: 'string' }, secret: ref }) }),
  }),
  'rabbitmq.com/v1beta1/RabbitmqCluster': strict(['replicas'], {
    replicas: { type: 'integer', minimum: 1 }, image: { type: 'string' }, resources,
    persistence: strict([], { storage: { type: 'string' }, storageClassName: { type: 'string' } }),
    rabbitmq: strict([], { additionalConfig: { type: 'string' }, additionalPlugins: { type: 'array', items: { type: 'string' } } }),
  }),
  'rabbitmq.com/v1beta1/Exchange': strict(['name', 'type', 'rabbitmqClusterReference'], { name: { type: 'string' }, type: { enum: ['topic', 'direct', 'fanout', 'headers'] }, durable: { type: 'boolean' }, autoDelete: { type: 'boolean' }, vhost: { type: 'string' }, rabbitmqClusterReference: ref }),
  'rabbitmq.com/v1beta1/Queue': strict(['name', 'rabbitmqClusterReference'], { name: { type: 'string' }, type: { enum: ['quorum', 'classic', 'stream'] }, durable: { type: 'boolean' }, autoDelete: { type: 'boolean' }, vhost: { type: 'string' }, arguments: { type: 'object' }, rabbitmqClusterReference: ref }),
  'rabbitmq.com/v1beta1/Binding': strict(['source', 'destination', 'destinationType', 'rabbitmqClusterReference'], { source: { type: 'string' }, destination: { type: 'string' }, destinationType: { enum: ['queue', 'exchange'] }, routingKey: { type: 'string' }, vhost: { type: 'string' }, rabbitmqClusterReference: ref }),
  'rabbitmq.com/v1beta1/User': strict(['rabbitmqClusterReference'], { tags: { type: 'array', items: { enum: ['management', 'policymaker', 'monitoring', 'administrator'] } }, importCredentialsSecret: ref, rabbitmqClusterReference: ref }),
  'rabbitmq.com/v1beta1/Permission': strict(['vhost', 'permissions', 'rabbitmqClusterReference'], { vhost: { type: 'string' }, user: { type: 'string' }, userReference: ref, permissions: strict(['configure', 'write', 'read'], { configure: { type: 'string' }, write: { type: 'string' }, read: { type: 'string' } }), rabbitmqClusterReference: ref }),
} as Record<string, Obj>).map(([k, schema]) => [k, { operator: k.startsWith('postgresql.cnpg.io') ? 'CloudNativePG 1.27 (chart 0.26.0)' : /RabbitmqCluster$/.test(k) ? 'RabbitMQ cluster-operator v2.16.0' : 'RabbitMQ messaging-topology-operator v1.17.2', schema }]));

// The event-hub command-line tools' defaults from the environment (the one place they read it).
export const cliEnv = {
  rabbitmqUrl: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  databaseUrl: process.env.DATABASE_URL,
};

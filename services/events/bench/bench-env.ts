// The benchmark's load from the environment (the one place it reads it). Only the offered load is
// adjustable: the hub itself always runs with the services' default configuration.
export const benchEnv = {
  rate: Number(process.env.BENCH_RATE ?? 1_000),
  seconds: Number(process.env.BENCH_SECONDS ?? 30),
};

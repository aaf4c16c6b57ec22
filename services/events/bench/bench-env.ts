// The benchmark's knobs from the environment (the one place it reads it).
export const benchEnv = {
  rate: Number(process.env.BENCH_RATE ?? 1_000),
  seconds: Number(process.env.BENCH_SECONDS ?? 30),
  batchSize: Number(process.env.BENCH_BATCH_SIZE ?? 50),
  batchParallel: Number(process.env.BENCH_BATCH_PARALLEL ?? 2),
  modes: (process.env.BENCH_MODES ?? 'batched,unbatched').split(','),
};

// The WebSocket benchmark's knobs from the environment (the one place it reads it).
export const benchEnv = {
  connections: Number(process.env.WS_BENCH_CONNECTIONS ?? 10_000),
  workers: Number(process.env.WS_BENCH_WORKERS ?? 4),
  broadcasts: Number(process.env.WS_BENCH_BROADCASTS ?? 20),
  rate: Number(process.env.WS_BENCH_RATE ?? 500),
  seconds: Number(process.env.WS_BENCH_SECONDS ?? 10),
};

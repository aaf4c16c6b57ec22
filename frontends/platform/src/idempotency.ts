// One key per payment attempt: the same attempt (same payload, e.g. a double click or a retry
// after a network error) reuses its key so the API creates the payment once; a changed form is a
// new attempt and gets a new key.
export interface IdempotencyKeeper {
  keyFor(payload: unknown): string;
  reset(): void;
}

export function createIdempotencyKeeper(): IdempotencyKeeper {
  let current: { fingerprint: string; key: string } | null = null;
  return {
    keyFor(payload) {
      const fingerprint = JSON.stringify(payload);
      if (!current || current.fingerprint !== fingerprint) current = { fingerprint, key: crypto.randomUUID() };
      return current.key;
    },
    reset() {
      current = null;
    },
  };
}

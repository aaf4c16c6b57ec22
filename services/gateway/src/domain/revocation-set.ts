// The gateway's local copy of auth's revocation markers (kit access-token.ts: `auth:revoked:sid:*`,
// `auth:user-role:*`): which sessions are revoked and what each user's current role is, each kept
// until it can no longer matter. Pure state: plugins/revocations.ts fills it from auth's events and
// from Redis, and decides when it may be trusted.
import type { AccessClaims } from '@bank/kit';

export type StaleReason = 'session-revoked' | 'role-changed';

interface RoleEntry {
  role: string;
  until: number;
  /** When an event set it (snapshots never overwrite a newer event's value). */
  setAt: number;
}

export class RevocationSet {
  readonly #revoked = new Map<string, number>();
  readonly #roles = new Map<string, RoleEntry>();

  /** The session is revoked until `until` (epoch ms: its tokens' end of life). */
  revoke(sessionId: string, until: number): void {
    this.#revoked.set(sessionId, Math.max(until, this.#revoked.get(sessionId) ?? 0));
  }

  /** From an event: the user's role now. */
  setRole(userId: string, role: string, until: number, now: number): void {
    this.#roles.set(userId, { role, until, setAt: now });
  }

  /**
   * From a Redis snapshot started at `snapshotStart`: the role stored then, unless an event received
   * since the snapshot began already says what the role is now.
   */
  setRoleFromSnapshot(userId: string, role: string, until: number, snapshotStart: number): void {
    const current = this.#roles.get(userId);
    if (current && current.setAt >= snapshotStart) return;
    this.#roles.set(userId, { role, until, setAt: 0 });
  }

  /** Why these claims may no longer be used (same rules as the kit's Redis check), if they may not. */
  staleReason(claims: Pick<AccessClaims, 'sub' | 'sid' | 'role'>, now: number): StaleReason | undefined {
    const revokedUntil = this.#revoked.get(claims.sid);
    if (revokedUntil !== undefined && revokedUntil > now) return 'session-revoked';
    const role = this.#roles.get(claims.sub);
    if (role && role.until > now && role.role !== claims.role) return 'role-changed';
    return undefined;
  }

  /** Drops entries past their end of life. */
  prune(now: number): void {
    for (const [sid, until] of this.#revoked) if (until <= now) this.#revoked.delete(sid);
    for (const [userId, entry] of this.#roles) if (entry.until <= now) this.#roles.delete(userId);
  }

  get size(): { sessions: number; roles: number } {
    return { sessions: this.#revoked.size, roles: this.#roles.size };
  }
}

import { createHash, randomBytes } from 'node:crypto';

import type { StaffRecord, StaffStore } from '../../db/staff';
import type { SessionEndReason } from '../../models/staff-session';

/** last_seen_at moves at most this often: one write a minute per session, however busy; the idle timeout is that precise. */
const TOUCH_EVERY_MS = 60_000;
/** Sessions that ended this long ago are dropped at the member's next sign-in. */
const FORGET_AFTER_MS = 30 * 24 * 3_600_000;

export interface SessionTimeouts {
    readonly idleTimeoutMs: number;
    readonly absoluteTimeoutMs: number;
}

/** A request's session, checked: the member as the database has them now (role, disabled) and the session's row. */
export type SessionCheck =
    | { readonly valid: true; readonly sessionId: number; readonly staff: StaffRecord }
    | { readonly valid: false; readonly reason: 'unknown' | 'ended' | 'idle' | 'expired' | 'disabled' };

export interface SessionOrigin {
    readonly ip: string | null;
    readonly userAgent: string | null;
}

const sha256 = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Staff sessions: one row per sign-in, found by the SHA-256 of the random token the sealed
 * cookie carries. Every request reads the row and its member, so signing out everywhere,
 * disabling a member or changing their role holds from their next request.
 */
export class StaffSessions {
    constructor(
        private readonly store: StaffStore,
        private readonly timeouts: SessionTimeouts,
    ) {}

    /** A new session for the member: the token to seal in their cookie. */
    async open(staff: StaffRecord, origin: SessionOrigin, now = new Date()): Promise<string> {
        const token = randomBytes(32).toString('base64url');
        await this.store.openSession({
            staffId: staff.id, tokenSha256: sha256(token), lastSeenAt: now,
            ip: origin.ip?.slice(0, 64) ?? null, userAgent: origin.userAgent?.slice(0, 255) ?? null,
        });
        await this.store.forgetOldSessions(staff.id, new Date(now.getTime() - FORGET_AFTER_MS));
        return token;
    }

    async check(token: string, now = new Date()): Promise<SessionCheck> {
        const session = await this.store.liveSession(sha256(token));
        if (session === undefined) {
            return { valid: false, reason: 'unknown' };
        }
        if (now.getTime() - session.createdAt.getTime() > this.timeouts.absoluteTimeoutMs) {
            return { valid: false, reason: 'expired' };
        }
        if (now.getTime() - session.lastSeenAt.getTime() > this.timeouts.idleTimeoutMs) {
            return { valid: false, reason: 'idle' };
        }
        if (session.staff.disabledAt !== null) {
            return { valid: false, reason: 'disabled' };
        }
        await this.store.touch(session.sessionId, now, new Date(now.getTime() - TOUCH_EVERY_MS));
        return { valid: true, sessionId: session.sessionId, staff: session.staff };
    }

    async end(token: string, reason: SessionEndReason = 'signed_out', now = new Date()): Promise<void> {
        await this.store.endSession({ tokenSha256: sha256(token) }, reason, now);
    }

    /** Every open session of the member: the number ended. */
    endAllOf(staffId: number, reason: SessionEndReason = 'signed_out_everywhere', now = new Date()): Promise<number> {
        return this.store.endSessionsOf(staffId, reason, now);
    }

    /** The member's other sessions (a password change keeps the one it was made in). */
    async endOthersOf(staffId: number, keepSessionId: number, reason: SessionEndReason, now = new Date()): Promise<void> {
        for (const session of await this.store.openSessionsOf(staffId)) {
            if (session.id !== keepSessionId) {
                await this.store.endSession({ id: session.id }, reason, now);
            }
        }
    }

    openOf(staffId: number) {
        return this.store.openSessionsOf(staffId);
    }
}

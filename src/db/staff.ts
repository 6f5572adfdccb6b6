import { Op, UniqueConstraintError } from 'sequelize';

import type { Models, Staff, StaffSession } from '../models';
import type { StaffRole } from '../models/staff';
import type { SessionEndReason } from '../models/staff-session';
import { retryOnDeadlock, updateWhere } from './rows';

// The statements behind staff accounts and their sessions (src/services/staff/): plain model
// calls, one place to read them.

/** A staff member as the rest of the app sees one: never the password hash. */
export type StaffRecord = Pick<Staff, 'id' | 'name' | 'role' | 'passwordChangeRequired' | 'disabledAt' | 'createdAt'>;

const STAFF_COLUMNS = ['id', 'name', 'role', 'passwordChangeRequired', 'disabledAt', 'createdAt'] as const;

/** A session and its member, as one request's check needs them. */
export interface LiveSession {
    readonly sessionId: number;
    readonly createdAt: Date;
    readonly lastSeenAt: Date;
    readonly staff: StaffRecord;
}

export class StaffStore {
    constructor(private readonly models: Models) {}

    /** undefined when the name is taken. */
    async insert(values: { name: string; role: StaffRole; passwordHash: string; passwordChangeRequired: boolean }): Promise<StaffRecord | undefined> {
        try {
            return toRecord(await retryOnDeadlock(() => this.models.Staff.create(values)));
        }
        catch (error) {
            if (error instanceof UniqueConstraintError) {
                return undefined;
            }
            throw error;
        }
    }

    async all(): Promise<StaffRecord[]> {
        return (await this.models.Staff.findAll({ attributes: [...STAFF_COLUMNS], order: [['id', 'ASC']] })).map(toRecord);
    }

    /** Names by id, for showing who did what. */
    async namesOf(ids: readonly number[]): Promise<Map<number, string>> {
        const rows = ids.length === 0 ? [] : await this.models.Staff.findAll({ where: { id: [...new Set(ids)] }, attributes: ['id', 'name'] });
        return new Map(rows.map((row) => [row.id, row.name]));
    }

    async byId(id: number): Promise<StaffRecord | undefined> {
        const row = await this.models.Staff.findByPk(id, { attributes: [...STAFF_COLUMNS] });
        return row === null ? undefined : toRecord(row);
    }

    async byName(name: string): Promise<StaffRecord | undefined> {
        const row = await this.models.Staff.findOne({ where: { name }, attributes: [...STAFF_COLUMNS] });
        return row === null ? undefined : toRecord(row);
    }

    /** The member and their password hash, for a sign-in. */
    async withHashByName(name: string): Promise<(StaffRecord & { passwordHash: string }) | undefined> {
        const row = await this.models.Staff.scope('withPasswordHash').findOne({ where: { name } });
        return row === null ? undefined : { ...toRecord(row), passwordHash: row.passwordHash };
    }

    async hashOf(id: number): Promise<string | undefined> {
        return (await this.models.Staff.scope('withPasswordHash').findByPk(id, { attributes: ['passwordHash'] }))?.passwordHash;
    }

    /** Active owners other than `exceptId`. */
    countActiveOwners(exceptId?: number): Promise<number> {
        return this.models.Staff.count({ where: { role: 'owner', disabledAt: null, ...(exceptId === undefined ? {} : { id: { [Op.ne]: exceptId } }) } });
    }

    /** A conditional write, judged by rows changed: false when the member is not as `expected` any more. */
    async update(id: number, values: Partial<Pick<Staff, 'role' | 'disabledAt' | 'passwordHash' | 'passwordChangeRequired'>>, expected: Partial<Pick<Staff, 'role' | 'disabledAt'>> = {}): Promise<boolean> {
        return await updateWhere(this.models.Staff, values, { id, ...expected }) === 1;
    }

    async openSession(values: Pick<StaffSession, 'staffId' | 'tokenSha256' | 'lastSeenAt' | 'ip' | 'userAgent'>): Promise<void> {
        await retryOnDeadlock(() => this.models.StaffSession.create(values));
    }

    /** The unended session with this token's hash, with its member. */
    async liveSession(tokenSha256: string): Promise<LiveSession | undefined> {
        const row = await this.models.StaffSession.findOne({
            where: { tokenSha256, endedAt: null },
            attributes: ['id', 'createdAt', 'lastSeenAt'],
            include: [{ model: this.models.Staff, as: 'staff', attributes: [...STAFF_COLUMNS] }],
        });
        const staff = (row as (StaffSession & { staff?: Staff }) | null)?.staff;
        return row === null || staff === undefined ? undefined : { sessionId: row.id, createdAt: row.createdAt, lastSeenAt: row.lastSeenAt, staff: toRecord(staff) };
    }

    /** Moves last_seen_at forward when it is older than `before` (one write a minute per session, not one per request). */
    async touch(sessionId: number, now: Date, before: Date): Promise<void> {
        await updateWhere(this.models.StaffSession, { lastSeenAt: now }, { id: sessionId, endedAt: null, lastSeenAt: { [Op.lt]: before } });
    }

    async endSession(where: { id: number } | { tokenSha256: string }, reason: SessionEndReason, now: Date): Promise<number> {
        return updateWhere(this.models.StaffSession, { endedAt: now, endedBecause: reason }, { ...where, endedAt: null });
    }

    /** Ends every open session of the member: the number ended. */
    endSessionsOf(staffId: number, reason: SessionEndReason, now: Date): Promise<number> {
        return updateWhere(this.models.StaffSession, { endedAt: now, endedBecause: reason }, { staffId, endedAt: null });
    }

    /** The member's open sessions, newest first. */
    openSessionsOf(staffId: number): Promise<StaffSession[]> {
        return this.models.StaffSession.findAll({ where: { staffId, endedAt: null }, order: [['id', 'DESC']], attributes: ['id', 'createdAt', 'lastSeenAt', 'ip', 'userAgent'] });
    }

    /** Sessions of the member that ended (or timed out) before `before`: dropped, so the table stays the size of the recent ones. */
    async forgetOldSessions(staffId: number, before: Date): Promise<void> {
        await this.models.StaffSession.destroy({ where: { staffId, [Op.or]: [{ endedAt: { [Op.lt]: before } }, { lastSeenAt: { [Op.lt]: before } }] } });
    }
}

function toRecord(row: Staff): StaffRecord {
    return { id: row.id, name: row.name, role: row.role, passwordChangeRequired: Boolean(row.passwordChangeRequired), disabledAt: row.disabledAt ?? null, createdAt: row.createdAt };
}

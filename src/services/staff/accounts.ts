import Boom from '@hapi/boom';

import type { StaffRecord, StaffStore } from '../../db/staff';
import type { StaffRole } from '../../models/staff';
import { decoyHash, hashPassword, passwordMatches, temporaryPassword, weakPasswordReason } from './passwords';

/** What a sign-in is told whatever was wrong: an unknown name, a wrong password and a disabled member read alike. */
export const WRONG_NAME_OR_PASSWORD = 'wrong name or password';

export interface NewStaff {
    readonly name: string;
    readonly role: StaffRole;
    /** Chosen by the member (the command line); without one a temporary password is made, to be changed at first sign-in. */
    readonly password?: string;
}

/** An account made or reset by an owner: the temporary password is in this answer and nowhere else. */
export interface IssuedPassword {
    readonly staff: StaffRecord;
    readonly temporaryPassword?: string;
}

/**
 * Staff accounts: made by the command line (the first owner) or by an owner, signed in with
 * argon2id, never deleted (disabled instead, so the audit trail keeps naming them). Every change
 * that should stop a member at once ends their sessions in the same call.
 */
export class StaffAccounts {
    private decoy: Promise<string> | undefined;

    constructor(private readonly store: StaffStore) {}

    async create({ name, role, password }: NewStaff): Promise<IssuedPassword> {
        const chosen = password !== undefined;
        if (chosen) {
            refuseWeak(password, name);
        }
        const secret = password ?? temporaryPassword();
        const staff = await this.store.insert({ name, role, passwordHash: await hashPassword(secret), passwordChangeRequired: !chosen });
        if (staff === undefined) {
            throw Boom.conflict(`a staff member named ${name} exists`);
        }
        return chosen ? { staff } : { staff, temporaryPassword: secret };
    }

    list(): Promise<StaffRecord[]> {
        return this.store.all();
    }

    async get(id: number): Promise<StaffRecord> {
        const staff = await this.store.byId(id);
        if (staff === undefined) {
            throw Boom.notFound(`staff member ${id} not found`);
        }
        return staff;
    }

    namesOf(ids: readonly number[]): Promise<Map<number, string>> {
        return this.store.namesOf(ids);
    }

    byName(name: string): Promise<StaffRecord | undefined> {
        return this.store.byName(name);
    }

    countActiveOwners(): Promise<number> {
        return this.store.countActiveOwners();
    }

    /**
     * The member, when the name and password are right and the member is not disabled; undefined
     * otherwise, after the same argon2 work (an unknown name is checked against a decoy hash).
     */
    async authenticate(name: string, password: string): Promise<StaffRecord | undefined> {
        const found = await this.store.withHashByName(name);
        const matches = await passwordMatches(found?.passwordHash ?? await this.decoyHash(), password);
        if (found === undefined || !matches || found.disabledAt !== null) {
            return undefined;
        }
        const { passwordHash: _hash, ...staff } = found;
        return staff;
    }

    async changeRole(id: number, role: StaffRole): Promise<StaffRecord> {
        const staff = await this.get(id);
        if (staff.role === role) {
            return staff;
        }
        if (staff.role === 'owner' && staff.disabledAt === null) {
            await this.keepAnOwner(id, 'demote');
        }
        if (!(await this.store.update(id, { role }, { role: staff.role }))) {
            throw Boom.conflict(`staff member ${id} changed meanwhile: read it and try again`);
        }
        return this.get(id);
    }

    /** Disabled: signed out everywhere at once, and refused at sign-in. Enabled again: signs in as before. */
    async setDisabled(id: number, disabled: boolean, now = new Date()): Promise<StaffRecord> {
        const staff = await this.get(id);
        if (disabled === (staff.disabledAt !== null)) {
            return staff;
        }
        if (disabled && staff.role === 'owner') {
            await this.keepAnOwner(id, 'disable');
        }
        await this.store.update(id, { disabledAt: disabled ? now : null });
        if (disabled) {
            await this.store.endSessionsOf(id, 'disabled', now);
        }
        return this.get(id);
    }

    /** A temporary password, shown to the owner once; the member is signed out and must choose a new one at sign-in. */
    async resetPassword(id: number, now = new Date()): Promise<IssuedPassword> {
        await this.get(id);
        const secret = temporaryPassword();
        await this.store.update(id, { passwordHash: await hashPassword(secret), passwordChangeRequired: true });
        await this.store.endSessionsOf(id, 'password_reset', now);
        return { staff: await this.get(id), temporaryPassword: secret };
    }

    /** The command line's reset: the password given, no change required at sign-in. */
    async setPassword(id: number, password: string, now = new Date()): Promise<StaffRecord> {
        const staff = await this.get(id);
        refuseWeak(password, staff.name);
        await this.store.update(id, { passwordHash: await hashPassword(password), passwordChangeRequired: false });
        await this.store.endSessionsOf(id, 'password_reset', now);
        return this.get(id);
    }

    /** The member's own change: the current password is checked (a session left open is not enough). */
    async changeOwnPassword(id: number, current: string, next: string): Promise<StaffRecord> {
        const staff = await this.get(id);
        const hash = await this.store.hashOf(id);
        if (hash === undefined || !(await passwordMatches(hash, current))) {
            throw Boom.forbidden('the current password is wrong');
        }
        if (current === next) {
            throw Boom.badRequest('"new_password" must differ from the current one');
        }
        refuseWeak(next, staff.name, 'new_password');
        await this.store.update(id, { passwordHash: await hashPassword(next), passwordChangeRequired: false });
        return this.get(id);
    }

    private async keepAnOwner(id: number, change: 'demote' | 'disable'): Promise<void> {
        if (await this.store.countActiveOwners(id) === 0) {
            throw Boom.conflict(`cannot ${change} the last active owner: make another owner first`);
        }
    }

    private decoyHash(): Promise<string> {
        this.decoy ??= decoyHash();
        return this.decoy;
    }
}

function refuseWeak(password: string, name: string, field = 'password'): void {
    const reason = weakPasswordReason(password, name);
    if (reason !== undefined) {
        throw Boom.badRequest(`"${field}": ${reason}`);
    }
}

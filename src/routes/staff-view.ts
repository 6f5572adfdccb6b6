import Joi from 'joi';

import type { StaffRecord } from '../db/staff';
import { STAFF_ROLES } from '../models/staff';
import { ALL_SCOPES, ROLE_SCOPES } from '../services/staff/roles';

export const staffRoleSchema = Joi.string().valid(...STAFF_ROLES).label('StaffRole')
    .description('owner: everything, staff management; operator: orders, shipping, the after-sale queue; finance: refunds, reconciliation, exports');

/** A staff member as the console shows one: never the password or its hash. */
export const staffSchema = Joi.object({
    id: Joi.number().integer().required().example(1),
    name: Joi.string().required().example('alice'),
    role: staffRoleSchema.required(),
    password_change_required: Joi.boolean().required().description('a new or reset account: the member chooses a password at sign-in before anything else'),
    disabled_at: Joi.date().allow(null).required().description('disabled members cannot sign in; their sessions ended when disabled'),
    created_at: Joi.date().required(),
}).label('Staff');

export const scopesSchema = Joi.array().items(Joi.string().valid(...ALL_SCOPES).label('Scope')).label('Scopes')
    .description("what this member may do (the console shows what they hold); empty until a required password change is made");

export function toStaffView(staff: StaffRecord) {
    return {
        id: staff.id,
        name: staff.name,
        role: staff.role,
        password_change_required: staff.passwordChangeRequired,
        disabled_at: staff.disabledAt,
        created_at: staff.createdAt,
    };
}

/** The scopes a member's session holds. */
export const scopesOf = (staff: Pick<StaffRecord, 'role' | 'passwordChangeRequired'>) => (staff.passwordChangeRequired ? [] : [...ROLE_SCOPES[staff.role]]);

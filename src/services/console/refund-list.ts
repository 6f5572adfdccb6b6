import { Op } from 'sequelize';

import type { Models, Refund } from '../../models';
import type { RefundStatus } from '../../models/refund';

/** Refunds across orders, newest first, by status: the approval queue is `pending_approval`. */
export class RefundList {
    constructor(private readonly models: Models) {}

    /** `limit + 1` rows at most (a keyset page and whether another follows). */
    page(status: RefundStatus | undefined, beforeId: number | undefined, limit: number): Promise<Refund[]> {
        return this.models.Refund.findAll({
            where: { ...(status === undefined ? {} : { status }), ...(beforeId === undefined ? {} : { id: { [Op.lt]: beforeId } }) },
            order: [['id', 'DESC']],
            limit: limit + 1,
        });
    }
}

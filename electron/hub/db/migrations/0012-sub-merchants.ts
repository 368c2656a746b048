import type { Kysely } from 'kysely';
import type { HubMigration } from './types';

/**
 * Service-provider mode (服务商) for a merchant the hub holds (issue 16): a row keyed by a sub-merchant's id
 * (特约商户号, whose money, bills and settlement it is) names the provider whose credentials sign its calls.
 * - `hub_merchants.sp_mchid`: the service provider's merchant id; null for a direct merchant (the row's own keys).
 * - `hub_merchants.sub_appid`: the sub-merchant's own appid when its calls name one (sub_appid); null otherwise.
 * Nullable additions: existing rows are direct merchants, as they were.
 */
export const migration0012: HubMigration = {
  version: 12,
  name: 'sub-merchants',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('hub_merchants').addColumn('sp_mchid', 'text').execute();
    await db.schema.alterTable('hub_merchants').addColumn('sub_appid', 'text').execute();
  },
};

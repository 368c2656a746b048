import type { ApiHandlers } from '../host/dispatch';
import type { ItemService } from '../items/item-service';
import type { Security } from '../security/security';

type ItemMethods = Extract<keyof ApiHandlers, `items.${string}`>;

/**
 * The item list's calls. Anyone signed in reads it (the cashier's quick items, the manager's list); changing it
 * takes a manager signed in at the manager window plus a manager's approval token for 'items-change', used up by
 * the service only once everything else about the change checked out.
 */
export function createItemHandlers(deps: { items: ItemService; security: Security }): Pick<ApiHandlers, ItemMethods> {
  const { items, security } = deps;
  return {
    'items.list': ({ includeInactive }, context) => {
      security.auth.requireSignedIn(context.connectionId);
      return items.list({ includeInactive });
    },
    'items.save': ({ id, item, approvalToken }, context) => {
      const user = security.auth.requireSignedIn(context.connectionId, 'manager');
      return items.save({ id, item, approvalToken, actor: { id: user.id, name: user.name } });
    },
  };
}

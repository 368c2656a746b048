import { ServiceError } from '../../shared/result';
import type { ApiHandlers } from '../host/dispatch';
import { HubLinkError, type HubLink } from '../hub-link/link';
import type { Security } from '../security/security';

type HubMethods = Extract<keyof ApiHandlers, `hub.${string}`>;

/**
 * The hub (总部) section of the manager's settings: its state for anyone signed in at the manager window, and
 * enrolment for a manager or the owner (audit-logged by the link). The pairing code is the hub's own proof that
 * someone there allowed this counter in; the manager's sign-in is this counter's.
 */
export function createHubHandlers(deps: { hub: HubLink; security: Security }): Pick<ApiHandlers, HubMethods> {
  const { hub, security } = deps;
  return {
    'hub.status': (_request, context) => {
      security.auth.requireSignedIn(context.connectionId, 'manager');
      return hub.status();
    },
    'hub.enrol': async ({ hubUrl, pairingCode, counterName }, context) => {
      const user = security.auth.requireSignedIn(context.connectionId, 'manager');
      try {
        return await hub.enrol({ hubUrl, pairingCode, counterName }, { id: user.id, name: user.name });
      } catch (error) {
        if (error instanceof HubLinkError) throw new ServiceError(error.code, error.message);
        throw error;
      }
    },
  };
}

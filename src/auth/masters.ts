/**
 * authorizerfactory.NewPrivilegedGroups(system:masters): kube-apiserver's
 * first authorizer, before any policy — a member of system:masters may do
 * anything; everyone else is left to the next authorizer.
 */
import { allowed, noOpinion, type Authorizer } from './authorizer.ts';
import { systemMasters } from './user-info.ts';

export const systemMastersAuthorizer: Authorizer = {
  authorize: (a) => (a.user.groups.includes(systemMasters) ? allowed() : noOpinion()),
};

/**
 * The API groups berth serves, in discovery order. Routing, discovery,
 * OpenAPI and storage all follow from this table and the kind tables of the
 * groups. Adding a group: a folder api/<group>/ with its kind table, and one
 * line here.
 */
import { appsGroup } from './apps/apps.ts';
import { authenticationGroup } from './authentication/authentication.ts';
import { authorizationGroup } from './authorization/authorization.ts';
import { batchGroup } from './batch/batch.ts';
import { coreGroup } from './core/core.ts';
import { discoveryGroup } from './discovery/discovery.ts';
import { rbacGroup } from './rbac/rbac.ts';
import { storageGroup } from './storage/storage.ts';
import { eventsGroup } from './events/events.ts';
import type { ApiGroup } from './kind.ts';

export const apiGroups: readonly ApiGroup[] = [coreGroup, appsGroup, eventsGroup, authenticationGroup, authorizationGroup, batchGroup, discoveryGroup, storageGroup, rbacGroup];

/** authenticationv1.UserInfo as the reviews answer it (Go's omitempty: no uid, groups or extra when empty). */
import type { UserInfo } from '../../auth/auth.ts';

export interface UserInfoV1 {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export function userInfoV1(user: UserInfo): UserInfoV1 {
  const out: UserInfoV1 = {};
  if (user.username) out.username = user.username;
  if (user.uid) out.uid = user.uid;
  if (user.groups.length) out.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length) out.extra = structuredClone(user.extra);
  return out;
}

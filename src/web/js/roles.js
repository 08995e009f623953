// What each role may see in the dashboard, by the same rules the API enforces (api/access-rules.ts):
// a view is shown only when every call it makes is allowed, so no view a user sees fails with 403.
import { session } from './api.js';
import { t } from './i18n.js';

/** The tabs, in order, and the roles any of which opens each. */
export const VIEW_ROLES = {
  live: ['reception'],
  // The callback inbox: the callers' numbers on request, on the audit trail; reception and admins, as the API.
  callbacks: ['reception', 'admin'],
  // Absence notices and callers' comments (personal data): reception and admins, as the API.
  notices: ['reception', 'admin'],
  comments: ['reception', 'admin'],
  metrics: ['analyst'],
  // Statistics per step for analysts; admins without them see the flow's picture and reload the files.
  menus: ['analyst', 'admin'],
  users: ['admin'],
  audit: ['admin'],
  // Every signed-in user has their own API keys.
  keys: null,
};

export const TABS = Object.keys(VIEW_ROLES);

export function canSee(view) {
  const roles = VIEW_ROLES[view];
  return session.signedIn && (roles === null || roles.some((r) => session.has(r)));
}

/** The tabs this user has, in order. */
export const visibleTabs = () => TABS.filter(canSee);

/** The roles in words, as staff say them: "Reception, Analytiker". */
export function rolesInWords(roles) {
  return roles.map((r) => t(`role.${r}`)).join(', ');
}

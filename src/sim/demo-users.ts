import type { Identity } from '../identity/create';
import type { Role } from '../identity/model';
import type { NewUser } from '../identity/users';

/** One demo user per role, so the demo shows what each role sees. */
export const DEMO_USERS: readonly NewUser[] = [
  { email: 'reception@demo.kommun.se', name: 'Rita Reception', roles: ['reception'] },
  { email: 'analytiker@demo.kommun.se', name: 'Anders Analytiker', roles: ['analyst'] },
  { email: 'admin@demo.kommun.se', name: 'Ada Admin', roles: ['admin'] },
];

export interface DemoSignIn {
  role: Role;
  email: string;
  temporaryPassword: string;
}

/** Makes the demo users when the store has no users at all (a fresh demo); returns their sign-ins, to be shown once. */
export async function demoUsersIfNone(identity: Identity): Promise<DemoSignIn[]> {
  if ((await identity.users.list()).length) return [];
  const made: DemoSignIn[] = [];
  for (const u of DEMO_USERS) {
    const { user, temporaryPassword } = await identity.users.create(u);
    made.push({ role: u.roles[0], email: user.email, temporaryPassword: temporaryPassword! });
  }
  return made;
}

/**
 * Adds a member of staff from the command line: the first admin of a new installation (the dashboard
 * needs someone to sign in), or anyone when the dashboard is out of reach. A local account gets a
 * temporary password, printed this once, to be changed at first sign-in.
 *
 *   npm run users:add -- --email anna.lind@kommun.se --name "Anna Lind" --roles admin,analyst
 */
import { parseArgs } from 'node:util';
import { loadToolConfig } from '../src/config';
import { AuditActions } from '../src/identity/audit-actions';
import { createIdentity } from '../src/identity/create';
import { ROLES, type Role } from '../src/identity/model';
import { createLogger } from '../src/log';
import { openStore } from '../src/store/open';
import { answerHelp } from './usage';

const USAGE = `npm run users:add -- --email ADDRESS --name "NAME" --roles ROLE[,ROLE] [--oidc]
  Adds a member of staff to the configured store (DATA_DIR, or MONGODB_URI with STORE=mongo).
  Roles: ${ROLES.join(', ')}. A local account's temporary password is printed once; with --oidc the
  person signs in through the municipality's identity provider and has no password here.`;

async function main(): Promise<void> {
  answerHelp(process.argv.slice(2), USAGE);
  const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string' }, roles: { type: 'string' }, oidc: { type: 'boolean', default: false } } });
  const roles = (values.roles ?? '').split(',').map((r) => r.trim()).filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (!values.email || !values.name || !roles.length || unknown.length) {
    throw new Error(`${unknown.length ? `unknown role ${unknown.join(', ')}; ` : ''}give --email, --name and --roles (${ROLES.join(', ')})\n${USAGE}`);
  }
  const store = await openStore(loadToolConfig(), createLogger('warn'));
  try {
    // The session settings do not matter here: no session is made.
    const identity = createIdentity(store.identity, { sessionIdleMs: 3_600_000, sessionMaxMs: 43_200_000 }, Date.now);
    const { user, temporaryPassword } = await identity.users.create({ email: values.email, name: values.name, roles: roles as Role[], source: values.oidc ? 'oidc' : 'local' });
    await identity.audit.record({ actor: 'cli:users:add', action: AuditActions.USER_CREATED, object: user.email, details: { roles: user.roles.join(' '), source: user.source } });
    console.log(`users:add: ${user.email} (${user.roles.join(', ')}) added`);
    if (temporaryPassword) console.log(`  temporary password, shown this once: ${temporaryPassword}\n  hand it over in person or by phone; it must be changed at first sign-in`);
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(`users:add: ${(err as Error).message}`);
  process.exit(1);
});

/**
 * Checks that the audit trail is whole: every entry still gives its hash, follows the one before
 * it, and the cut pruning left is on record. Reports the first entry that was changed, removed or
 * reordered, and exits 1 if there is one (for a scheduled job or a review).
 *
 *   npm run audit:verify
 */
import { loadToolConfig } from '../src/config';
import { AuditTrail } from '../src/identity/audit-trail';
import { createLogger } from '../src/log';
import { openStore } from '../src/store/open';
import { answerHelp } from './usage';

const USAGE = `npm run audit:verify
  Verifies the audit trail in the configured store (DATA_DIR, or MONGODB_URI with STORE=mongo): every
  entry still gives its hash and follows the one before it. Exit 1 at the first entry that does not.`;

const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;

const PROBLEMS = {
  changed: 'its content was changed after it was written',
  'removed-or-reordered': 'entries before it were removed or moved (its number does not follow the previous one)',
  'link-broken': 'it was replaced: it does not continue from the entry before it',
  'anchor-unrecorded': 'entries were cut from the start of the trail without a recorded pruning',
} as const;

async function main(): Promise<void> {
  answerHelp(process.argv.slice(2), USAGE);
  const store = await openStore(loadToolConfig(), createLogger('warn'));
  try {
    const verdict = await new AuditTrail(store.identity, Date.now).verify();
    if (verdict.ok) {
      console.log(`audit:verify: the audit trail is whole (${entries(verdict.checked)} checked)`);
      return;
    }
    const bad = verdict.firstBad!;
    console.error(`audit:verify: entry ${bad.seq} does not hold: ${PROBLEMS[bad.problem]} (${bad.problem}); ${entries(verdict.checked)} checked`);
    process.exitCode = 1;
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(`audit:verify: ${(err as Error).message}`);
  process.exit(2);
});

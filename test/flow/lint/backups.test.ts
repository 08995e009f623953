/**
 * The backup rules (src/flow/lint/rules/backups.ts): a backup naming nothing the flow knows
 * (backup-unknown), a person who is their own backup (backup-self), backups that come round in a
 * circle (backup-cycle, once per circle, from its lowest extension), and a reachable backup node
 * offered to people who have no backup and no noBackup route (backup-missing).
 */
import { backupRules } from '../../../src/flow/lint/rules/backups';
import { FILE, analysisOf, row, type Raw } from './flows';

const backups = (change: (f: Raw) => void) => backupRules(analysisOf(change)).map(row);

const person = (name: string, backup?: string) => ({ name, number: '+46101304700', ...(backup === undefined ? {} : { backup }) });

/** The directory given; no backup node. */
const directory = (entries: Record<string, Raw>) => (f: Raw) => {
  f.directory = entries;
};

/** The directory given, and main's 4 leads to a backup node (noBackup set when given). */
const offered = (entries: Record<string, Raw>, node: Raw = {}) => (f: Raw) => {
  f.directory = entries;
  f.nodes.main.routes['4'] = 'colleague';
  f.nodes.colleague = { type: 'backup', onNoAnswer: 'operator', ...node };
};

describe('backup-self and backup-unknown', () => {
  test('a person who is their own backup', () => {
    const results = backupRules(analysisOf(directory({ '4711': person('Anna Lind', '4711') })));
    expect(results.map(row)).toEqual([
      ['error', 'backup-self', 'directory.4711.backup', "Anna Lind's backup is Anna Lind: a caller nobody answered would ring the same phone again"],
    ]);
    expect(results[0].file).toBe(FILE);
  });

  test('a backup that is neither an extension nor a target', () => {
    expect(backups(directory({ '4711': person('Anna Lind', '4799'), '4712': person('Johan Berg', 'bygg') }))).toEqual([
      ['error', 'backup-unknown', 'directory.4711.backup', 'Anna Lind\'s backup "4799" is neither an extension of the directory nor a target: nobody would be rung'],
      ['error', 'backup-unknown', 'directory.4712.backup', 'Johan Berg\'s backup "bygg" is neither an extension of the directory nor a target: nobody would be rung'],
    ]);
  });

  test('a backup that is another extension or a target is fine; no backup at all too', () => {
    expect(backups(directory({ '4711': person('Anna Lind', '4712'), '4712': person('Johan Berg', 'skola'), '4713': person('Sara Holm') }))).toEqual([]);
  });
});

describe('backup-cycle', () => {
  test('two people who are each other\'s backup: once, from the lower extension, naming who is rung again', () => {
    const results = backupRules(analysisOf(directory({ '4712': person('Johan Berg', '4711'), '4711': person('Anna Lind', '4712') })));
    expect(results.map(row)).toEqual([
      ['warning', 'backup-cycle', 'directory.4711.backup', 'backups go round in a circle: 4711 → 4712 → 4711; a caller passed on from backup to backup would ring Anna Lind again'],
    ]);
    expect(results[0].file).toBe(FILE);
  });

  test('a circle of three is told from its lowest extension, in backup order', () => {
    expect(backups(directory({ '4713': person('Sara Holm', '4711'), '4711': person('Anna Lind', '4712'), '4712': person('Johan Berg', '4713') }))).toEqual([
      ['warning', 'backup-cycle', 'directory.4711.backup', 'backups go round in a circle: 4711 → 4712 → 4713 → 4711; a caller passed on from backup to backup would ring Anna Lind again'],
    ]);
    expect(backups(directory({ '4711': person('Anna Lind', '4713'), '4712': person('Johan Berg', '4711'), '4713': person('Sara Holm', '4712') }))).toEqual([
      ['warning', 'backup-cycle', 'directory.4711.backup', 'backups go round in a circle: 4711 → 4713 → 4712 → 4711; a caller passed on from backup to backup would ring Anna Lind again'],
    ]);
  });

  test('a person whose backups lead into a circle is not part of it', () => {
    expect(backups(directory({ '4711': person('Anna Lind', '4712'), '4712': person('Johan Berg', '4713'), '4713': person('Sara Holm', '4712') }))).toEqual([
      ['warning', 'backup-cycle', 'directory.4712.backup', 'backups go round in a circle: 4712 → 4713 → 4712; a caller passed on from backup to backup would ring Johan Berg again'],
    ]);
  });

  test('a circle first met from a person leading into it at its higher extension is still told from its lowest', () => {
    expect(backups(directory({ '4711': person('Anna Lind', '4713'), '4712': person('Johan Berg', '4713'), '4713': person('Sara Holm', '4712') }))).toEqual([
      ['warning', 'backup-cycle', 'directory.4712.backup', 'backups go round in a circle: 4712 → 4713 → 4712; a caller passed on from backup to backup would ring Johan Berg again'],
    ]);
  });

  test('two separate circles: one finding each', () => {
    expect(backups(directory({
      '4711': person('Anna Lind', '4712'), '4712': person('Johan Berg', '4711'),
      '4713': person('Sara Holm', '4714'), '4714': person('Erik Nyström', '4713'),
    })).map((r) => r[2])).toEqual(['directory.4711.backup', 'directory.4713.backup']);
  });

  test('a chain that ends (at a target, at someone without a backup, at an unknown backup) is no circle; nor is one\'s own backup', () => {
    expect(backups(directory({ '4711': person('Anna Lind', '4712'), '4712': person('Johan Berg', '4713'), '4713': person('Sara Holm', 'skola') }))).toEqual([]);
    expect(backups(directory({ '4711': person('Anna Lind', '4712'), '4712': person('Johan Berg') }))).toEqual([]);
    expect(backups(directory({ '4711': person('Anna Lind', '4712'), '4712': person('Johan Berg', '4712') })).map((r) => r[1])).toEqual(['backup-self']);
    expect(backups(directory({ '4711': person('Anna Lind', '4712'), '4712': person('Johan Berg', '4799') })).map((r) => r[1])).toEqual(['backup-unknown']);
  });
});

describe('backup-missing', () => {
  test('some people without a backup, no noBackup: named, and their callers go to the operator', () => {
    const results = backupRules(analysisOf(offered({ '4711': person('Anna Lind', 'skola'), '4712': person('Johan Berg'), '4713': person('Sara Holm') })));
    expect(results.map(row)).toEqual([
      ['warning', 'backup-missing', 'nodes.colleague', '"colleague" rings the backup of the person sought, but 4712, 4713 have none: their callers go to the operator; set noBackup to say where they go'],
    ]);
    expect(results[0].file).toBe(FILE);
  });

  test('without an operator, their callers are told goodbye', () => {
    expect(backups((f) => {
      offered({ '4711': person('Anna Lind', 'skola'), '4712': person('Johan Berg') })(f);
      delete f.operator;
      f.nodes.main.prompt = 'För skola, tryck 1.';
    })).toEqual([
      ['warning', 'backup-missing', 'nodes.colleague', '"colleague" rings the backup of the person sought, but 4712 has none: that person\'s callers are told goodbye; set noBackup to say where they go'],
    ]);
  });

  test('nobody with a backup: the node is pointless', () => {
    expect(backups(offered({ '4711': person('Anna Lind'), '4712': person('Johan Berg') }))).toEqual([
      ['warning', 'backup-missing', 'nodes.colleague', '"colleague" rings the backup of the person sought, but nobody in the directory has a backup: give people a backup, or remove the node'],
    ]);
  });

  test('an empty directory counts as nobody with a backup', () => {
    expect(backups(offered({})).map((r) => r[3])).toEqual([
      '"colleague" rings the backup of the person sought, but nobody in the directory has a backup: give people a backup, or remove the node',
    ]);
  });

  test('everyone with a backup: nothing to say', () => {
    expect(backups(offered({ '4711': person('Anna Lind', 'skola'), '4712': person('Johan Berg', '4711') }))).toEqual([]);
  });

  test('a noBackup route says where they go: nothing to say, even when nobody has one', () => {
    expect(backups(offered({ '4711': person('Anna Lind', 'skola'), '4712': person('Johan Berg') }, { noBackup: 'operator' }))).toEqual([]);
    expect(backups(offered({ '4711': person('Anna Lind') }, { noBackup: 'bye' }))).toEqual([]);
  });

  test('a backup node no caller reaches is not offered', () => {
    expect(backups((f) => {
      offered({ '4711': person('Anna Lind') })(f);
      delete f.nodes.main.routes['4'];
    })).toEqual([]);
  });

  test('each reachable backup node, in file order', () => {
    expect(backups((f) => {
      offered({ '4711': person('Anna Lind') })(f);
      f.nodes.main.routes['3'] = 'another';
      f.nodes.another = { type: 'backup', onNoAnswer: 'operator' };
      f.nodes.colleague.onNoAnswer = 'another';
    }).map((r) => r[2])).toEqual(['nodes.colleague', 'nodes.another']);
  });
});

import type { Connection } from 'mongoose';
import { createLogger } from '../../src/log';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { mongoTestUri } from '../helpers/prerequisites';

/** MONGODB_URI is the operator's: what it sets, the store keeps; its own default fills only a gap. */
const uri = mongoTestUri();
const log = createLogger('silent');

function withOptions(options: Record<string, string>): string {
  const u = new URL(uri!);
  u.pathname = `/callpath_options_${process.pid}`;
  for (const [k, v] of Object.entries(options)) u.searchParams.set(k, v);
  return u.toString();
}

async function serverSelectionTimeoutOf(connectionString: string, opts?: { serverSelectionTimeoutMS?: number }): Promise<number> {
  const store = await MongoStore.connect(connectionString, log, opts);
  try {
    return (store as unknown as { conn: Connection }).conn.getClient().options.serverSelectionTimeoutMS;
  } finally {
    await store.close();
  }
}

describe('the Mongo store’s server selection timeout', () => {
  test('is the connection string’s when it sets one, whatever the case of its name', async () => {
    expect(await serverSelectionTimeoutOf(withOptions({ serverSelectionTimeoutMS: '1234' }))).toBe(1234);
    expect(await serverSelectionTimeoutOf(withOptions({ serverselectiontimeoutms: '1500' }))).toBe(1500);
  });

  test('is 5 s when nothing sets it, and the caller’s when it passes one', async () => {
    expect(await serverSelectionTimeoutOf(withOptions({}))).toBe(5000);
    expect(await serverSelectionTimeoutOf(withOptions({ serverSelectionTimeoutMS: '1234' }), { serverSelectionTimeoutMS: 700 })).toBe(700);
  });
});

async function requestTimeoutOf(connectionString: string, opts?: { operationTimeoutMS?: number }): Promise<number | undefined> {
  const store = await MongoStore.connect(connectionString, log, opts);
  try {
    return (store as unknown as { op: { timeoutMS?: number } }).op.timeoutMS;
  } finally {
    await store.close();
  }
}

describe('the Mongo store’s timeout for one request', () => {
  test('is 20 s when nothing sets it, and the caller’s when it passes one', async () => {
    expect(await requestTimeoutOf(withOptions({}))).toBe(20_000);
    expect(await requestTimeoutOf(withOptions({}), { operationTimeoutMS: 700 })).toBe(700);
  });

  test('is left to the driver when the connection string sets timeoutMS, which then bounds every request', async () => {
    expect(await requestTimeoutOf(withOptions({ timeoutMS: '9000' }), { operationTimeoutMS: 700 })).toBeUndefined();
    expect(await requestTimeoutOf(withOptions({ timeoutms: '9000' }))).toBeUndefined();
  });
});

import type { Socket } from 'node:net';
import type { Connection } from 'mongoose';
import { createLogger } from '../../src/log';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { startKillableFerret } from '../helpers/ferret';
import { ferretBinary } from '../helpers/prerequisites';

/** The MongoDB driver's monitor of the one server: what this test reaches into to recreate a race exactly. */
interface ServerMonitor {
  connection: { socket: Socket; closed: boolean } | null;
  requestCheck(): void;
}

interface DriverClient {
  topology?: { s?: { servers?: Map<string, { monitor?: ServerMonitor }> } };
  on(event: 'serverHeartbeatStarted', listener: () => void): void;
  on(event: 'serverDescriptionChanged', listener: (e: { newDescription: { type: string } }) => void): void;
  off(event: 'serverHeartbeatStarted', listener: () => void): void;
}

function driverClient(store: MongoStore): DriverClient {
  return (store as unknown as { conn: Connection }).conn.getClient() as unknown as DriverClient;
}

function serverMonitor(client: DriverClient): ServerMonitor {
  const servers = [...(client.topology?.s?.servers?.values() ?? [])];
  const monitor = servers[0]?.monitor;
  if (servers.length !== 1 || !monitor?.connection || typeof monitor.requestCheck !== 'function') {
    throw new Error('the MongoDB driver no longer has the monitor internals this test recreates the race with: update the test');
  }
  return monitor;
}

async function pingsWithin(store: MongoStore, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      await store.ping();
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return false;
}

/**
 * When the database is killed, every socket to it closes at once. On a loaded machine the driver
 * can learn it from a pooled connection first and ask its monitor for a check while the monitor's
 * own socket is already destroyed but its close event not yet delivered: the driver then waits for
 * that write forever, the monitor never checks again and the store stays unusable after the database
 * is back (seen in test/reliability/mongo-kill.test.ts). Here that moment is made on purpose.
 */
ferretBinary();

describe('the Mongo store after the database restarts', () => {
  test('answers again, also when the monitor checked the server just as its socket went', async () => {
    const ferret = await startKillableFerret();
    const store = await MongoStore.connect(`mongodb://127.0.0.1:${ferret.port}/callpath_reconnect`, createLogger('silent'), { serverSelectionTimeoutMS: 500 });
    try {
      await store.ping();
      const client = driverClient(store);
      const monitor = serverMonitor(client);
      // The monitor checks at once when asked only if its last check ended over 500 ms ago.
      await new Promise((r) => setTimeout(r, 600));
      let checkStarted = false;
      const onStarted = () => (checkStarted = true);
      client.on('serverHeartbeatStarted', onStarted);
      monitor.connection!.socket.destroy();
      monitor.requestCheck();
      client.off('serverHeartbeatStarted', onStarted);
      // The check began on the destroyed socket, before its close event: the race, not a plain reconnect.
      expect(checkStarted).toBe(true);
      expect(monitor.connection?.closed).toBe(false);

      let serverUnknown = false;
      client.on('serverDescriptionChanged', (e) => (serverUnknown ||= e.newDescription.type === 'Unknown'));
      await ferret.kill();
      // The first ping may fail on a pooled socket the server just ended, which leaves the server's
      // state as it was; the next fails to connect, and only that makes the driver need its monitor.
      for (const deadline = Date.now() + 5_000; !serverUnknown && Date.now() < deadline; ) {
        await expect(store.ping()).rejects.toThrow();
      }
      expect(serverUnknown).toBe(true);
      await ferret.restart();
      expect(await pingsWithin(store, 15_000)).toBe(true);
    } finally {
      await store.close();
      await ferret.kill();
    }
  }, 60_000);
});

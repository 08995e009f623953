import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import mongoose from 'mongoose';
import type { Logger } from '../../log';

/** The driver's connection, as far as the guard uses it (an internal class of the mongodb package). */
interface DriverConnection {
  socket: Socket;
  id: number | string;
  address: string;
  error?: Error;
  writeCommand(...args: unknown[]): Promise<unknown>;
}

let guarded = false;

/**
 * Works around a defect of the MongoDB Node driver (seen in 6.20, unchanged in 7.9): a command
 * written to a socket that is destroyed but whose close event has not been delivered yet waits for a
 * 'drain' that never comes, since Node reports such a write only by returning false. When the
 * database goes away every socket to it closes at once, and on a busy event loop the driver may
 * learn it from a pooled connection first and have its server monitor check the server on its own,
 * already destroyed, socket. That check never ends, the monitor never checks again, and the server
 * stays "unknown": every operation fails server selection long after the database is back, and the
 * outbox never delivers again until the process restarts. Ending the wait when the socket closes
 * turns the stuck write into the network error the driver already recovers from.
 */
export function endDriverWritesOnSocketClose(log: Logger): void {
  if (guarded) return;
  guarded = true;
  // The very copy of the driver mongoose uses, which need not be the one at the top of node_modules.
  const fromMongoose = createRequire(require.resolve('mongoose'));
  let proto: DriverConnection | undefined;
  try {
    proto = (fromMongoose('mongodb/lib/cmap/connection') as { Connection?: { prototype: DriverConnection } }).Connection?.prototype;
  } catch {
    proto = undefined;
  }
  if (typeof proto?.writeCommand !== 'function') {
    // test/store/mongo-reconnect.test.ts tells whether a newer driver still needs the guard.
    log.warn('MongoDB driver internals changed: writes to a closing socket are not guarded');
    return;
  }
  const write = proto.writeCommand;
  proto.writeCommand = function writeEndedByClose(this: DriverConnection, ...args: unknown[]): Promise<unknown> {
    const socket = this.socket;
    const closedError = () => this.error ?? new mongoose.mongo.MongoNetworkError(`connection ${this.id} to ${this.address} closed`);
    // Its close event has passed already: none will come to end the wait.
    if (socket.closed) return Promise.reject(closedError());
    let stopWatching = () => undefined as void;
    const closes = new Promise<never>((_resolve, reject) => {
      const onClose = () => reject(closedError());
      socket.once('close', onClose);
      stopWatching = () => void socket.off('close', onClose);
    });
    return Promise.race([write.apply(this, args), closes]).finally(stopWatching);
  };
}

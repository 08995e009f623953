import net from 'node:net';

/**
 * A TCP proxy whose path to the server can go silent: after cut(), bytes in either direction are
 * dropped while every socket stays open, as when a database host vanishes without resetting its
 * connections (a frozen VM, a failover behind a NAT). A request sent then is never answered and
 * never fails. After restore(), new connections reach the server again; the ones open during the
 * cut stay silent for good, like connections to the host that went away.
 */
export interface SilentNetworkProxy {
  port: number;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startSilentNetworkProxy(target: { host: string; port: number }): Promise<SilentNetworkProxy> {
  let cut = false;
  const sockets = new Set<net.Socket>();
  /** Connections open while the path was cut: nothing passes on them ever again. */
  const dead = new WeakSet<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const forward = (from: net.Socket, to: net.Socket, client: net.Socket) => {
    from.on('data', (chunk) => {
      if (!cut && !dead.has(client)) to.write(chunk);
    });
    from.on('close', () => to.destroy());
  };
  const server = net.createServer((client) => {
    track(client);
    if (cut) dead.add(client);
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    forward(client, upstream, client);
    forward(upstream, client, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut() {
      cut = true;
      for (const s of sockets) dead.add(s);
    },
    restore() {
      cut = false;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

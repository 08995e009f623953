/**
 * Flags for the Node process that runs the service: the Dockerfile's CMD and `npm start` pass
 * exactly these (test/deploy holds them to it), and the benchmarks start the service with them.
 *
 * A young generation of 64 MiB semi-spaces instead of V8's 16 MiB: a webhook's objects (the request,
 * its events waiting up to the outbox's linger, the journey versions of a call in the same burst)
 * mostly live a few tens of milliseconds, and with the small default a scavenge came every ~30 ms
 * under load and copied them, then promoted them for the old generation to collect. Paired runs of
 * the webhook bench gave 4–13 % more webhooks per second at 200 connections; it costs up to about
 * 100 MiB more memory under load.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

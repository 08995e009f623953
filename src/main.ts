import { loadConfig } from './config';
import { CallpathError, ConfigError, FlowError } from './errors';
import { createLogger } from './log';
import { createService } from './service';
import { WEBHOOK_PATHS } from './telephony/twilio/render';

/**
 * Start-up: config, flows, HTTP at once, the store in the background; a graceful stop on SIGTERM/SIGINT
 * (also while the store loads); the flow files reloaded on SIGHUP.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`callpath: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  if (config.devMode) log.warn('DEV_MODE is on: development tokens and keys are in use. Never run like this in production.');
  let service;
  try {
    service = await createService(config, log);
  } catch (err) {
    if (err instanceof FlowError) {
      process.stderr.write(`callpath: flow files rejected:\n${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  await service.listen();
  log.info(
    {
      port: config.port,
      store: service.store.kind,
      flows: service.registry.list().map((f) => `${f.id}@${f.version}`),
      voiceWebhook: config.publicBaseUrl + WEBHOOK_PATHS.voice,
      statusCallback: config.publicBaseUrl + WEBHOOK_PATHS.status,
    },
    'callpath listening',
  );
  // A failure is logged by the service; calls go on being answered.
  service.ready.then(() => log.info({ store: service.store.kind }, 'ready: store open, outbox delivering'), () => undefined);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: finishing webhooks in flight and delivering the outbox');
    await service.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // An admin edits the flow files and sends SIGHUP; a bad file is logged and the old flows keep answering.
  process.on('SIGHUP', () => {
    try {
      service.reloadFlows();
    } catch (err) {
      if (err instanceof CallpathError) log.error({ problems: err.message }, 'flow reload rejected; the flows in service are unchanged');
      else log.error({ err }, 'flow reload failed; the flows in service are unchanged');
    }
  });
}

main().catch((err) => {
  process.stderr.write(`callpath: failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});

import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export interface TestProviderOptions {
  redirectUri: string;
  clientId: string;
  clientSecret: string;
  idTokenTtlSeconds?: number;
  /** Everything in the id token and no userinfo endpoint (Entra-like); by default the userinfo endpoint has the profile claims. */
  claimsInIdToken?: boolean;
}

export interface TestProvider {
  /** http://127.0.0.1:<port>, as the provider's discovery document names itself. */
  issuer: string;
  stop(): Promise<void>;
}

const SCRIPT = path.join(__dirname, 'oidc-provider-process.mjs');
const START_TIMEOUT_MS = 15_000;

/**
 * Starts the test identity provider (oidc-provider-process.mjs) in its own process and resolves once it
 * listens. Its accounts: anna@kommun.se (group callpath-reception), erik@kommun.se (callpath-analytiker,
 * callpath-admin), sara@kommun.se (ekonomi, which callpath does not map); any other login signs in with no
 * groups and an unverified address.
 */
export function startTestProvider(options: TestProviderOptions): Promise<TestProvider> {
  const child = spawn(process.execPath, [SCRIPT, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  return new Promise<TestProvider>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`test identity provider: ${why}\n${stderr}`)));
    };
    const timer = setTimeout(() => fail(`not listening after ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const exitedEarly = (code: number | null, signal: string | null) => fail(`exited (${signal ?? code}) before listening`);
    child.once('exit', exitedEarly);
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      child.off('exit', exitedEarly);
      try {
        const { issuer } = JSON.parse(line) as { issuer: string };
        resolve({ issuer, stop });
      } catch {
        fail(`unexpected first line on stdout: ${line}`);
      }
    });
  });
}

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { loadConfig } from '../../src/config';
import { SERVICE_NODE_FLAGS } from '../../src/node-flags';

/** No Docker engine runs here, so the compose file is checked for what the service needs from it. */
const root = path.join(__dirname, '../..');
const compose = YAML.parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));

describe('docker-compose.yml', () => {
  test('is valid for Compose itself (docker-compose config; scripts/ci-deps.sh installs it)', () => {
    const bin = ['/usr/bin/docker-compose', '/usr/local/bin/docker-compose'].find((p) => fs.existsSync(p));
    if (!bin) throw new Error('docker-compose is not installed: run `bash scripts/ci-deps.sh` (it installs Debian\'s docker-compose, used here only to validate the file)');
    const env = { ...process.env, PUBLIC_BASE_URL: 'https://callpath.kommun.example', TWILIO_AUTH_TOKEN: 't', API_TOKEN: 'a-secret-of-enough-length', PSEUDONYM_KEYS: 'k1:0123456789abcdef0123' };
    const out = execFileSync(bin, ['-f', path.join(root, 'docker-compose.yml'), 'config'], { env, encoding: 'utf8' });
    expect(out).toContain('replicaSet=rs0');
    // Without the required secrets Compose refuses, naming them.
    const bare = { ...env, PUBLIC_BASE_URL: '' };
    expect(() => execFileSync(bin, ['-f', path.join(root, 'docker-compose.yml'), 'config'], { env: bare, stdio: 'pipe' })).toThrow(/PUBLIC_BASE_URL/);
  });

  test('runs MongoDB as a single-node replica set with a health check and a volume', () => {
    const mongo = compose.services.mongo;
    expect(mongo.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(mongo.healthcheck.test.join(' ')).toContain('rs.initiate');
    expect(mongo.volumes[0]).toMatch(/^mongo-data:/);
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['mongo-data', 'callpath-data']));
  });

  test('starts the service after MongoDB is healthy, with a health check', () => {
    const svc = compose.services.callpath;
    expect(svc.depends_on.mongo.condition).toBe('service_healthy');
    expect(svc.healthcheck.test.join(' ')).toContain('/healthz');
    expect(svc.environment.MONGODB_URI).toContain('replicaSet=rs0');
  });

  test('gives the service an environment its configuration accepts', () => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(compose.services.callpath.environment as Record<string, string>)) {
      // ${VAR:?message} and ${VAR:-default} are filled in by compose; stand in realistic values.
      env[k] = String(v).replace(/\$\{(\w+):([?-])([^}]*)\}/g, (_m, name: string, op: string, def: string) =>
        op === '-' ? def : ({ PUBLIC_BASE_URL: 'https://callpath.kommun.example', PSEUDONYM_KEYS: 'k1:0123456789abcdef0123' } as Record<string, string>)[name] ?? 'a-secret-of-enough-length',
      );
    }
    const config = loadConfig(env);
    expect(config.store).toBe('mongo');
    expect(config.publicBaseUrl).toBe('https://callpath.kommun.example');
    expect(config.staffToken).toBeUndefined();
  });

  test('the image build copies what the build config compiles', () => {
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const build = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8'));
    for (const glob of build.include as string[]) expect(dockerfile).toContain(`COPY ${glob.split('/')[0]} ./${glob.split('/')[0]}`);
    expect(dockerfile).toContain('COPY ivr-flows ./ivr-flows');
  });

  test('the image and npm start run the service with the Node flags the benchmarks measured (src/node-flags.ts)', () => {
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
    expect(cmd && JSON.parse(cmd[1])).toEqual(['node', ...SERVICE_NODE_FLAGS, 'dist/src/main.js']);
    const scripts = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(scripts.start).toMatch(new RegExp(`(^|&& )node ${[...SERVICE_NODE_FLAGS, 'dist/src/main.js'].join(' ')}$`));
  });
});

// config-api: parse the environment once, start, and shut down cleanly on SIGTERM/SIGINT
// (stopping the local workers first).
import { execFileSync } from 'node:child_process';
import { createLogger, onShutdown } from '@kwdb-connect/runtime';
import { API_ENV_VARS, parseApiConfig } from './config';
import { startConfigApi } from './server';

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const parsed = parseApiConfig(process.env);
  if (!parsed.ok) {
    process.stderr.write(
      `config-api: invalid configuration (${parsed.errors.length} problem(s)):\n  ${parsed.errors.join('\n  ')}\n` +
        `Variables read: ${API_ENV_VARS.join(', ')}\n`,
    );
    process.exit(2);
  }
  const config = parsed.config;
  const logger = createLogger({ level: config.logLevel, base: { app: 'config-api' } });
  const api = await startConfigApi(config, { logger, commit: gitCommit() });
  onShutdown(() => api.close(), {
    timeoutMs: 30_000,
    onEvent: (event) => logger.info({ event }, 'shutdown'),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`config-api: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

// `kubectl logs -f` of a running Pod, kept as lines until the container exits (e.g. to read what a
// worker logs while it drains after the Pod is deleted: the logs go with the Pod).
import { spawn } from 'node:child_process';
import type { TestEnv } from '@kwdb-connect/testing';

export interface FollowedLogs {
  lines: string[];
  /** Resolves once the first line arrived (the stream is established). */
  started: Promise<void>;
  /** Resolves when kubectl exits (the container ended), with kubectl's exit code. */
  ended: Promise<number | null>;
}

export function followLogs(env: TestEnv, namespace: string, pod: string): FollowedLogs {
  const child = spawn(
    env.tools.kubectl,
    ['--kubeconfig', env.cluster.kubeconfig, 'logs', '-f', '-n', namespace, pod],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines: string[] = [];
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      lines.push(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      markStarted();
    }
  });
  const ended = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  return { lines, started, ended };
}

/** Parses every non-empty line as JSON; throws naming the first line that is not. */
export function jsonLines(lines: string[]): Record<string, unknown>[] {
  return lines
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`log line ${i + 1} is not JSON: ${line}`);
      }
    });
}

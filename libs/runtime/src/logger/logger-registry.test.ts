import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createLogger } from './create-logger';
import { connectLevelOf, LoggerRegistry, pinoLevelOf } from './logger-registry';

function registry(): { loggers: LoggerRegistry; lines: string[]; clock: { now: number } } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const clock = { now: 1000 };
  const root = createLogger({ level: 'info', destination });
  return { loggers: new LoggerRegistry(root, () => clock.now), lines, clock };
}

describe('level names', () => {
  it.each([
    { name: 'DEBUG', given: 'DEBUG', pino: 'debug', shown: 'DEBUG' },
    { name: 'lower case', given: 'warn', pino: 'warn', shown: 'WARN' },
    { name: 'OFF is silent', given: 'OFF', pino: 'silent', shown: 'OFF' },
    { name: 'ALL is trace', given: 'all', pino: 'trace', shown: 'TRACE' },
    { name: 'unknown', given: 'LOUD', pino: undefined, shown: undefined },
  ])('$name', ({ given, pino, shown }) => {
    expect(pinoLevelOf(given)).toBe(pino);
    if (pino !== undefined) expect(connectLevelOf(pino)).toBe(shown);
  });
});

describe('LoggerRegistry', () => {
  it('lists root and the named loggers with their levels; last_modified is null until set', () => {
    const { loggers } = registry();
    loggers.logger('app.supervisor');
    expect(loggers.all()).toEqual({
      'app.supervisor': { level: 'INFO', last_modified: null },
      root: { level: 'INFO', last_modified: null },
    });
    expect(loggers.level('ROOT')).toEqual({ level: 'INFO', last_modified: null });
    expect(loggers.level('nope')).toBeUndefined();
  });

  it('sets a namespace and every logger under it, creates the namespace, returns the affected names sorted', () => {
    const { loggers, clock } = registry();
    loggers.logger('app.b');
    loggers.logger('app.a');
    loggers.logger('other');
    clock.now = 2000;
    expect(loggers.setLevel('app', 'debug')).toEqual(['app', 'app.a', 'app.b']);
    expect(loggers.level('app.a')).toEqual({ level: 'DEBUG', last_modified: 2000 });
    expect(loggers.level('other')).toEqual({ level: 'INFO', last_modified: null });
    expect(loggers.level('root')).toEqual({ level: 'INFO', last_modified: null });
  });

  it('root sets every logger; an unchanged level keeps its last_modified', () => {
    const { loggers, clock } = registry();
    loggers.logger('x');
    loggers.setLevel('x', 'warn');
    clock.now = 5000;
    expect(loggers.setLevel('root', 'warn')).toEqual(['root', 'x']);
    expect(loggers.all()).toEqual({
      root: { level: 'WARN', last_modified: 5000 },
      x: { level: 'WARN', last_modified: 1000 },
    });
  });

  it('a new logger takes its nearest named ancestor level; the level really filters lines', () => {
    const { loggers, lines } = registry();
    loggers.setLevel('app', 'error');
    const child = loggers.logger('app.worker.task');
    expect(child.level).toBe('error');
    child.info('hidden');
    child.error('shown');
    loggers.setLevel('app.worker.task', 'debug');
    child.debug('now shown');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string; logger: string }).msg)).toEqual([
      'shown',
      'now shown',
    ]);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ logger: 'app.worker.task' });
  });
});

import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { childLogger, createLogger, type Logger } from './create-logger';

const SECRET = 'S3cr3t-Value-42';

/** A logger writing into an array of parsed lines, as a worker's stdout would receive them. */
function capture(secretValues?: string[]): { logger: Logger; raw: string[] } {
  const raw: string[] = [];
  const logger = createLogger({
    level: 'debug',
    base: { connector: 'kw-sink', task: 0 },
    destination: { write: (line: string) => void raw.push(line) },
    ...(secretValues ? { secretValues } : {}),
  });
  return { logger, raw };
}

const config = {
  'connection.url': 'jdbc:kaiwudb://127.0.0.1:26257/benchmark',
  'connection.user': 'root',
  'connection.password': SECRET,
};

const cases: { name: string; log: (logger: Logger) => void; secretValues?: string[] }[] = [
  { name: 'top-level password field', log: (l) => l.info({ password: SECRET }, 'x') },
  { name: 'connection.password nested', log: (l) => l.info({ connection: { password: SECRET } }, 'x') },
  { name: '*.password', log: (l) => l.info({ db: { password: SECRET } }, 'x') },
  { name: 'top-level "connection.password" key', log: (l) => l.info({ ...config }, 'x') },
  { name: '*["connection.password"]', log: (l) => l.info({ config }, 'x') },
  { name: 'anything under secrets', log: (l) => l.info({ secrets: { db: SECRET, other: [SECRET] } }, 'x') },
  { name: 'secrets one level down', log: (l) => l.info({ task: { secrets: SECRET } }, 'x') },
  {
    name: 'deeply nested key',
    log: (l) => l.info({ a: { b: { c: { 'connection.password': SECRET } } } }, 'x'),
  },
  { name: 'child logger bindings', log: (l) => l.child({ config }).info('x') },
  {
    name: 'error whose message embeds the config as JSON',
    log: (l) => l.error(new Error(`invalid config ${JSON.stringify(config)}`)),
  },
  {
    name: 'error under err with a message',
    log: (l) => l.error({ err: new Error(`invalid config ${JSON.stringify(config)}`) }, 'start failed'),
  },
  {
    name: 'error whose message embeds util.inspect of the config',
    log: (l) => l.error(new Error(`invalid config ${inspect(config)}`)),
  },
  {
    name: 'error whose message embeds util.inspect of a password field',
    log: (l) => l.error(new Error(`bad ${inspect({ password: SECRET })}`)),
  },
  {
    name: 'error carrying the config as a property',
    log: (l) => l.error(Object.assign(new Error('invalid config'), { config: { connection: config } })),
  },
  {
    name: 'error cause embedding the config',
    log: (l) => l.error(new Error('start failed', { cause: new Error(JSON.stringify({ outer: config })) })),
  },
  { name: 'printf %o of the config', log: (l) => l.info('config %o', config) },
  { name: 'printf %j of the config', log: (l) => l.info('config %j', { nested: config }) },
  {
    name: 'password=value in text',
    log: (l) => l.warn(`connect failed: host=db password=${SECRET} user=root`),
  },
  { name: 'password: value in text', log: (l) => l.warn(`connection.password: ${SECRET}`) },
  { name: 'URL credentials in text', log: (l) => l.warn(`cannot reach postgres://root:${SECRET}@db:5432/x`) },
  { name: 'numeric password field', log: (l) => l.info({ deep: { x: { password: 123456789 } } }, 'x') },
  {
    name: 'known secret value in free text',
    log: (l) => l.info(`the server rejected ${SECRET}`),
    secretValues: [SECRET],
  },
  {
    name: 'known secret value in an error stack',
    log: (l) => l.error(new Error(`rejected ${SECRET}`)),
    secretValues: [SECRET],
  },
];

describe('createLogger redaction', () => {
  it.each(cases)('$name: the secret never appears and the line stays JSON', ({ log, secretValues }) => {
    const { logger, raw } = capture(secretValues);
    log(logger);
    expect(raw).toHaveLength(1);
    const line = raw[0] ?? '';
    expect(line).not.toContain(SECRET);
    expect(line).not.toContain('123456789');
    expect(line).toContain('[Redacted]');
    expect(() => JSON.parse(line)).not.toThrow();
  });

  it('masks a known secret with quotes and backslashes in every encoding', () => {
    const nasty = 'p"a\\ss\'w';
    const { logger, raw } = capture([nasty]);
    logger.error({ note: `plain ${nasty}` }, `embedded ${JSON.stringify({ value: nasty })}`);
    const line = raw[0] ?? '';
    const parsed = JSON.parse(line) as { note: string; msg: string };
    expect(parsed.note).not.toContain(nasty);
    expect(parsed.msg).not.toContain(JSON.stringify(nasty).slice(1, -1));
    expect(parsed.note).toBe('plain [Redacted]');
  });

  it('keeps the fields that are not secret', () => {
    const { logger, raw } = capture();
    logger.info({ config }, 'started');
    const parsed = JSON.parse(raw[0] ?? '') as { config: Record<string, string>; connector: string };
    expect(parsed.connector).toBe('kw-sink');
    expect(parsed.config['connection.url']).toBe(config['connection.url']);
    expect(parsed.config['connection.user']).toBe('root');
    expect(parsed.config['connection.password']).toBe('[Redacted]');
  });
});

describe('createLogger output', () => {
  it('writes JSON lines with a level label, time and the base fields', () => {
    const { logger, raw } = capture();
    logger.info('hello');
    const parsed = JSON.parse(raw[0] ?? '') as Record<string, unknown>;
    expect(parsed).toMatchObject({ level: 'info', msg: 'hello', connector: 'kw-sink', task: 0 });
    expect(typeof parsed['time']).toBe('string');
  });

  it('child loggers carry topic, partition and offset', () => {
    const { logger, raw } = capture();
    childLogger(logger, { topic: 'kw-topic', partition: 3, offset: '42' }).warn('bad record');
    expect(JSON.parse(raw[0] ?? '')).toMatchObject({
      connector: 'kw-sink',
      task: 0,
      topic: 'kw-topic',
      partition: 3,
      offset: '42',
      level: 'warn',
    });
  });

  it('drops lines below the level', () => {
    const raw: string[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (l: string) => void raw.push(l) } });
    logger.info('quiet');
    logger.warn('loud');
    expect(raw.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['loud']);
  });
});

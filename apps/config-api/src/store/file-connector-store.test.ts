import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlreadyExistsError, NotFoundError } from '../errors';
import type { ConnectorDefinition } from './connector-store';
import { FileConnectorStore, fileNameOf, nameOfFile } from './file-connector-store';

const definition = (name: string, over: Partial<ConnectorDefinition> = {}): ConnectorDefinition => ({
  name,
  config: { 'connector.class': 'KwdbSinkConnector', topics: 't', name },
  targetState: 'RUNNING',
  generation: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('FileConnectorStore', () => {
  let dir: string;
  let store: FileConnectorStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cfgapi-store-'));
    store = new FileConnectorStore(dir);
    await store.init();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('When a connector is created, Then a new store instance on the same folder reads it back (survives restart)', async () => {
    await store.create(definition('a'), { password: 's3cret' });
    const reopened = new FileConnectorStore(dir);
    await reopened.init();
    expect(await reopened.list()).toEqual(['a']);
    expect(await reopened.get('a')).toEqual(definition('a'));
    expect(await reopened.getSecrets('a')).toEqual({ password: 's3cret' });
  });

  it('When a password is stored, Then it is only in a 0600 file, never in the definition file', async () => {
    await store.create(definition('a'), { password: 's3cret' });
    const main = await readFile(join(dir, 'connectors', 'a.json'), 'utf8');
    expect(main).not.toContain('s3cret');
    const secretStat = await stat(store.passwordFile('a'));
    expect(secretStat.mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'secrets'))).mode & 0o777).toBe(0o700);
    expect(await readFile(store.passwordFile('a'), 'utf8')).toBe('s3cret');
  });

  it('When a definition holds connection.password, Then the store refuses to write it', async () => {
    const bad = definition('a', { config: { 'connection.password': 'x' } });
    await expect(store.create(bad, {})).rejects.toThrow(/must not be stored/);
  });

  it('When the name is taken, Then create throws AlreadyExistsError; update of an unknown name NotFoundError', async () => {
    await store.create(definition('a'), {});
    await expect(store.create(definition('a'), {})).rejects.toBeInstanceOf(AlreadyExistsError);
    await expect(store.update(definition('b'), {})).rejects.toBeInstanceOf(NotFoundError);
  });

  it('When updated without a password, Then the secret file is removed; delete removes both files', async () => {
    await store.create(definition('a'), { password: 'p' });
    await store.update(definition('a', { generation: 2, targetState: 'PAUSED' }), {});
    expect(await store.getSecrets('a')).toEqual({});
    expect((await store.get('a'))?.targetState).toBe('PAUSED');
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
    expect(await store.get('a')).toBeUndefined();
    expect(await readdir(join(dir, 'connectors'))).toEqual([]);
  });

  it('When writes finish, Then no temp files are left; and temp files of a crashed write are cleaned at init', async () => {
    await store.create(definition('a'), { password: 'p' });
    await store.update(definition('a', { generation: 2 }), { password: 'q' });
    const files = [...(await readdir(join(dir, 'connectors'))), ...(await readdir(join(dir, 'secrets')))];
    expect(files.filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    await writeFile(join(dir, 'connectors', '.tmp-deadbeef'), '{"torn":');
    const reopened = new FileConnectorStore(dir);
    await reopened.init();
    expect(await readdir(join(dir, 'connectors'))).toEqual(['a.json']);
    expect(await reopened.list()).toEqual(['a']);
  });

  it.each([
    { name: 'plain name', connector: 'KwdbSinkConnector' },
    { name: 'dots cannot escape the folder', connector: '..' },
    { name: 'slashes and spaces', connector: 'a/b c' },
    { name: 'unicode', connector: '传感器-sink' },
    { name: 'percent sign', connector: '100%' },
    { name: '249 ASCII characters (hashed file name)', connector: 'a'.repeat(249) },
    { name: '50 times é (hashed file name)', connector: 'é'.repeat(50) },
  ])('connector names map to one safe file name and back: $name', async ({ connector }) => {
    const file = fileNameOf(connector);
    expect(file).not.toMatch(/[/\\]/);
    expect(file).not.toMatch(/^\.+$/);
    expect(file.length).toBeLessThanOrEqual(128);
    expect(nameOfFile(file)).toBe(file.startsWith('%h') ? undefined : connector);
    await store.create(definition(connector), { password: 'p' });
    expect(await store.list()).toEqual([connector]);
    expect((await store.get(connector))?.name).toBe(connector);
  });
});

// The local runtime's connector store: one JSON file per connector, the password apart in a 0600
// file. Every write is atomic (temp file in the same folder, fsync, rename, fsync of the folder), so a
// crash leaves either the old or the new file, never a torn one, and the store survives a restart.
//
//   <dataDir>/connectors/<file name>.json      {"name","config","targetState","generation",...}
//   <dataDir>/secrets/<file name>.password     the password itself (mode 0600, folder 0700)
//
// <file name> is the connector name, percent-encoded so any name maps to one safe file name; a name
// whose encoding is longer than 128 characters (file systems allow 255 bytes) is stored under
// `%h<sha256 of the name>` instead, and its name is read back from the file (issue 10 point 4).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AlreadyExistsError, connectorNotFound } from '../errors';
import {
  TARGET_STATES,
  type ConnectorDefinition,
  type ConnectorSecrets,
  type ConnectorStore,
} from './connector-store';

const DEFINITION_SUFFIX = '.json';
const PASSWORD_SUFFIX = '.password';

/** Longest percent-encoded file name; longer names are hashed. */
export const MAX_ENCODED_FILE_NAME = 128;
/** Prefix of hashed file names; percent-encoding never yields it (`%` is followed by hex digits). */
const HASHED_PREFIX = '%h';

/**
 * A connector name as a file name: percent-encoding, with `.` also encoded so `.`/`..` cannot occur;
 * `%h<sha256>` when the encoding is longer than MAX_ENCODED_FILE_NAME.
 */
export function fileNameOf(name: string): string {
  const encoded = encodeURIComponent(name).replace(/\./g, '%2E').replace(/\*/g, '%2A');
  if (encoded.length <= MAX_ENCODED_FILE_NAME) return encoded;
  return HASHED_PREFIX + createHash('sha256').update(name, 'utf8').digest('hex');
}

/** The connector name of a file name; undefined for a hashed one (the name is in the file). */
export function nameOfFile(fileName: string): string | undefined {
  if (fileName.startsWith(HASHED_PREFIX)) return undefined;
  return decodeURIComponent(fileName);
}

/** Writes `data` to `path` atomically with the given mode. */
export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const dir = join(path, '..');
  const temp = join(dir, `.tmp-${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDir(dir);
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function parseDefinition(text: string, file: string): ConnectorDefinition {
  const value = JSON.parse(text) as Partial<ConnectorDefinition>;
  const ok =
    typeof value.name === 'string' &&
    typeof value.config === 'object' &&
    value.config !== null &&
    TARGET_STATES.includes(value.targetState as never) &&
    typeof value.generation === 'number';
  if (!ok) throw new Error(`${file} is not a connector definition`);
  return value as ConnectorDefinition;
}

export class FileConnectorStore implements ConnectorStore {
  readonly dataDir: string;
  private readonly connectorsDir: string;
  private readonly secretsDir: string;

  constructor(dataDir: string) {
    this.dataDir = dataDir;
    this.connectorsDir = join(dataDir, 'connectors');
    this.secretsDir = join(dataDir, 'secrets');
  }

  /** Creates the folders (secrets 0700) and removes temp files a crash may have left. */
  async init(): Promise<void> {
    await mkdir(this.connectorsDir, { recursive: true, mode: 0o700 });
    await mkdir(this.secretsDir, { recursive: true, mode: 0o700 });
    for (const dir of [this.connectorsDir, this.secretsDir]) {
      for (const entry of await readdir(dir)) {
        if (entry.startsWith('.tmp-')) await rm(join(dir, entry), { force: true });
      }
    }
  }

  /** The 0600 file holding a connector's password (what workers get as KWDB_CONNECT_PASSWORD_FILE). */
  passwordFile(name: string): string {
    return join(this.secretsDir, fileNameOf(name) + PASSWORD_SUFFIX);
  }

  private definitionFile(name: string): string {
    return join(this.connectorsDir, fileNameOf(name) + DEFINITION_SUFFIX);
  }

  async list(): Promise<string[]> {
    const entries = (await readdir(this.connectorsDir)).filter(
      (entry) => entry.endsWith(DEFINITION_SUFFIX) && !entry.startsWith('.tmp-'),
    );
    const names: string[] = [];
    for (const entry of entries) {
      const name = nameOfFile(entry.slice(0, -DEFINITION_SUFFIX.length));
      if (name !== undefined) {
        names.push(name);
        continue;
      }
      const file = join(this.connectorsDir, entry);
      names.push(parseDefinition(await readFile(file, 'utf8'), file).name);
    }
    return names.sort();
  }

  async get(name: string): Promise<ConnectorDefinition | undefined> {
    const file = this.definitionFile(name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return parseDefinition(text, file);
  }

  async getSecrets(name: string): Promise<ConnectorSecrets> {
    try {
      return { password: await readFile(this.passwordFile(name), 'utf8') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  async create(definition: ConnectorDefinition, secrets: ConnectorSecrets): Promise<void> {
    if (await exists(this.definitionFile(definition.name))) {
      throw new AlreadyExistsError(`Connector ${definition.name} already exists`);
    }
    await this.write(definition, secrets);
  }

  async update(definition: ConnectorDefinition, secrets: ConnectorSecrets): Promise<void> {
    if (!(await exists(this.definitionFile(definition.name)))) throw connectorNotFound(definition.name);
    await this.write(definition, secrets);
  }

  async delete(name: string): Promise<boolean> {
    const file = this.definitionFile(name);
    if (!(await exists(file))) return false;
    // The definition goes first: a crash in between leaves only an orphan secret, never a
    // connector whose password vanished. init() of a later start does not need to clean it: the
    // next create with this name overwrites it.
    await rm(file);
    await fsyncDir(this.connectorsDir);
    await rm(this.passwordFile(name), { force: true });
    return true;
  }

  /** The secret is written before the definition, so a stored definition always has its password. */
  private async write(definition: ConnectorDefinition, secrets: ConnectorSecrets): Promise<void> {
    if ('connection.password' in definition.config) {
      throw new Error('connection.password must not be stored in the connector definition');
    }
    if (secrets.password === undefined) {
      await rm(this.passwordFile(definition.name), { force: true });
    } else {
      await writeFileAtomic(this.passwordFile(definition.name), secrets.password, 0o600);
    }
    await writeFileAtomic(
      this.definitionFile(definition.name),
      JSON.stringify(definition, null, 2) + '\n',
      0o644,
    );
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

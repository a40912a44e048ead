import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { CONFIG_KEYS, renderConfigurationDoc } from './index';

describe('docs/configuration.md', () => {
  it('is up to date with the definition table (run `npx nx run connector-config:docs` to regenerate)', () => {
    const committed = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderConfigurationDoc());
  });

  it.each(CONFIG_KEYS.map((def) => def.name))('documents %s', (name) => {
    expect(renderConfigurationDoc()).toContain(`| \`${name}\``);
  });
});

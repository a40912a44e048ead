import { describe, expect, it } from '@jest/globals';
import { ownedNames, resourceNameFor } from './resource';

describe('resourceNameFor', () => {
  it.each([
    { name: 'a DNS label stays as it is', connector: 'meters-sink', expected: /^meters-sink$/ },
    {
      name: 'upper case gets a hash',
      connector: 'KwdbSinkConnector',
      expected: /^kwdbsinkconnector-[0-9a-f]{8}$/,
    },
    {
      name: 'dots and spaces are cleaned',
      connector: 'my.conn name',
      expected: /^my-conn-name-[0-9a-f]{8}$/,
    },
    { name: 'no usable character', connector: 'é', expected: /^kwc-[0-9a-f]{8}$/ },
    { name: 'long names are cut', connector: 'x'.repeat(250), expected: /^x{31}-[0-9a-f]{8}$/ },
  ])('$name', ({ connector, expected }) => {
    const name = resourceNameFor(connector);
    expect(name).toMatch(expected);
    expect(ownedNames(name).deployment.length).toBeLessThanOrEqual(47);
  });

  it('names differing only in case do not collide', () => {
    expect(resourceNameFor('KwdbSinkConnector')).not.toBe(resourceNameFor('kwdbsinkconnector'));
  });
});

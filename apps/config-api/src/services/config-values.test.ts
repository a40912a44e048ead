import { describe, expect, it } from '@jest/globals';
import { BadRequestError } from '../errors';
import {
  applyPatch,
  shownConfig,
  splitPassword,
  toStringMap,
  withPassword,
  type FlatConfig,
} from './config-values';

describe('config values', () => {
  it.each([
    {
      name: "the guide's numbers and booleans become text",
      input: { 'tasks.max': 1, 'topic.per.stable': true },
      output: { 'tasks.max': '1', 'topic.per.stable': 'true' },
    },
    { name: 'strings stay as written', input: { topics: 'a,b' }, output: { topics: 'a,b' } },
    {
      name: 'a list of strings is joined with commas',
      input: { topics: ['a', 'b'] },
      output: { topics: 'a,b' },
    },
    { name: 'null values are left out', input: { x: null, y: '1' }, output: { y: '1' } },
  ])('toStringMap: $name', ({ input, output }) => {
    expect(toStringMap(input)).toEqual(output);
  });

  it.each([
    { name: 'an array body', input: [1] },
    { name: 'a nested object', input: { a: { b: 1 }, c: [1] } },
    { name: 'a string body', input: 'x' },
  ])('toStringMap refuses $name with a 400', ({ input }) => {
    expect(() => toStringMap(input)).toThrow(BadRequestError);
  });

  it('names every nested key in the message', () => {
    expect(() => toStringMap({ a: { b: 1 }, c: [1] })).toThrow(/not so for: a, c/);
  });

  it.each([
    { name: 'replaces keys', base: { a: '1', b: '2' }, patch: { b: 3 }, out: { a: '1', b: '3' } },
    { name: 'null removes a key', base: { a: '1', b: '2' }, patch: { b: null }, out: { a: '1' } },
    { name: 'adds keys', base: { a: '1' }, patch: { c: 'x' }, out: { a: '1', c: 'x' } },
  ])('applyPatch $name', ({ base, patch, out }) => {
    expect(applyPatch(base as FlatConfig, patch)).toEqual(out);
  });

  it.each([
    {
      name: 'a new password is split out',
      config: { 'connection.password': 'new', a: '1' },
      previous: 'old',
      password: 'new',
    },
    {
      name: '[hidden] (GET config sent back) keeps the stored password',
      config: { 'connection.password': '[hidden]', a: '1' },
      previous: 'old',
      password: 'old',
    },
    { name: 'no password removes it', config: { a: '1' }, previous: 'old', password: undefined },
  ])('splitPassword: $name', ({ config, previous, password }) => {
    const split = splitPassword(config as FlatConfig, previous);
    expect(split.password).toBe(password);
    expect(split.config).toEqual({ a: '1' });
  });

  it('shownConfig masks the password (and any other password key) as [hidden]; withPassword puts it back', () => {
    expect(shownConfig({ a: '1', 'x.password': 'y' }, true)).toEqual({
      a: '1',
      'x.password': '[hidden]',
      'connection.password': '[hidden]',
    });
    expect(shownConfig({ a: '1' }, false)).toEqual({ a: '1' });
    expect(withPassword({ a: '1' }, 'p')).toEqual({ a: '1', 'connection.password': 'p' });
  });
});

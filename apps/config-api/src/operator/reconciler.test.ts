import { describe, expect, it } from '@jest/globals';
import { canonicalJson, parseRestartAnnotation } from './reconciler';

describe('parseRestartAnnotation', () => {
  it.each([
    ['true', { includeTasks: false, onlyFailed: false }],
    ['includeTasks', { includeTasks: true, onlyFailed: false }],
    ['onlyFailed', { includeTasks: false, onlyFailed: true }],
    ['includeTasks,onlyFailed', { includeTasks: true, onlyFailed: true }],
    ['onlyFailed, includeTasks', { includeTasks: true, onlyFailed: true }],
    ['true,onlyFailed', undefined],
    ['yes', undefined],
    ['', undefined],
  ])('%p', (value, expected) => {
    expect(parseRestartAnnotation(value)).toEqual(expected);
  });
});

describe('canonicalJson', () => {
  it('ignores key order, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: 3 } })).toBe(
      canonicalJson({ a: { c: 3, d: [2, 1] }, b: 1 }),
    );
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});

import { describe, expect, it } from '@jest/globals';
import { routeLabel } from './api-metrics';

describe('routeLabel: the route template, never the raw path (bounded label values)', () => {
  it.each([
    { name: 'a router root', base: '/connectors', path: '/', label: '/connectors' },
    {
      name: 'a parameterised route',
      base: '/connectors',
      path: '/:name/status',
      label: '/connectors/:name/status',
    },
    { name: 'an app-level route', base: '', path: '/metrics', label: '/metrics' },
    { name: 'the root', base: '', path: '/', label: '/' },
    { name: 'no route matched', base: '/connectors', path: undefined, label: 'unmatched' },
  ])('$name', ({ base, path, label }) => {
    expect(routeLabel(base, path)).toBe(label);
  });
});

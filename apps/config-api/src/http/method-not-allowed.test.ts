import { describe, expect, it } from '@jest/globals';
import { allowedMethods } from './method-not-allowed';

describe('allowedMethods', () => {
  it.each([
    { name: 'the connector list', path: '/connectors', allow: ['GET', 'HEAD', 'OPTIONS', 'POST'] },
    { name: 'a trailing slash', path: '/connectors/', allow: ['GET', 'HEAD', 'OPTIONS', 'POST'] },
    { name: 'one connector', path: '/connectors/kw-sink', allow: ['DELETE', 'GET', 'HEAD', 'OPTIONS'] },
    {
      name: 'a task status',
      path: '/connectors/kw-sink/tasks/0/status',
      allow: ['GET', 'HEAD', 'OPTIONS'],
    },
    { name: 'pause', path: '/connectors/kw-sink/pause', allow: ['OPTIONS', 'PUT'] },
    { name: 'topics reset', path: '/connectors/kw-sink/topics/reset', allow: ['OPTIONS', 'PUT'] },
    { name: 'an unknown path', path: '/nope', allow: [] },
    { name: 'a deeper unknown path', path: '/connectors/a/b/c/d', allow: [] },
  ])('$name', ({ path, allow }) => {
    expect(allowedMethods(path)).toEqual(allow);
  });
});

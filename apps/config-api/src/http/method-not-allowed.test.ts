import { describe, expect, it } from '@jest/globals';
import { allowedMethods } from './method-not-allowed';

describe('allowedMethods', () => {
  it.each([
    { name: 'the connector list', path: '/connectors', allow: ['GET', 'HEAD', 'POST'] },
    { name: 'a trailing slash', path: '/connectors/', allow: ['GET', 'HEAD', 'POST'] },
    { name: 'one connector', path: '/connectors/kw-sink', allow: ['DELETE', 'GET', 'HEAD'] },
    { name: 'a task status', path: '/connectors/kw-sink/tasks/0/status', allow: ['GET', 'HEAD'] },
    { name: 'pause', path: '/connectors/kw-sink/pause', allow: ['PUT'] },
    { name: 'an unknown path', path: '/nope', allow: [] },
    { name: 'a deeper unknown path', path: '/connectors/a/b/c/d', allow: [] },
  ])('$name', ({ path, allow }) => {
    expect(allowedMethods(path)).toEqual(allow);
  });
});

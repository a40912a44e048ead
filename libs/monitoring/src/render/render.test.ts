import { describe, expect, it } from '@jest/globals';
import { legendOf, withoutRows } from './render-dashboard';
import { formatValue, renderSvg } from './svg';

describe('formatValue', () => {
  it.each([
    { value: 0.0123, unit: 's', text: '12.3 ms' },
    { value: 2.5, unit: 's', text: '2.5 s' },
    { value: 90, unit: 's', text: '1.5 min' },
    { value: 7200, unit: 's', text: '2 h' },
    { value: 172_800, unit: 's', text: '2 d' },
    { value: 94_900_000, unit: 's', text: '3.0 y' },
    { value: 1500, unit: 'ops', text: '1.5k/s' },
    { value: 3 * 1024 * 1024, unit: 'bytes', text: '3.0 MiB' },
    { value: 0.042, unit: 'percentunit', text: '4.2%' },
    { value: 7, unit: 'short', text: '7' },
  ])('$value $unit -> $text', ({ value, unit, text }) => {
    expect(formatValue(value, unit)).toBe(text);
  });
});

describe('legendOf', () => {
  it.each([
    { format: '{{connector}} {{topic}}/{{partition}}', text: 'c t/3' },
    { format: 'task {{ task }}', text: 'task 0' },
    { format: '', text: '{"connector":"c","topic":"t","partition":"3","task":"0"}' },
  ])('"$format"', ({ format, text }) => {
    expect(legendOf(format, { connector: 'c', topic: 't', partition: '3', task: '0' })).toBe(text);
  });
});

describe('withoutRows', () => {
  const panel = (type: string, title: string, y: number, h: number) => ({
    type,
    title,
    gridPos: { x: 0, y, w: 24, h },
  });
  const dashboard = {
    title: 'd',
    panels: [
      panel('row', 'A', 0, 1),
      panel('timeseries', 'a', 1, 8),
      panel('row', 'B', 9, 1),
      panel('timeseries', 'b', 10, 8),
      panel('row', 'C', 18, 1),
      panel('stat', 'c', 19, 4),
    ],
  };
  it('drops a middle row and moves the rows below up by its height', () => {
    const result = withoutRows(dashboard, new Set(['B']));
    expect(result.panels.map((p) => [p.title, p.gridPos.y])).toEqual([
      ['A', 0],
      ['a', 1],
      ['C', 9],
      ['c', 10],
    ]);
  });
  it('keeps everything when nothing is skipped', () => {
    expect(withoutRows(dashboard, new Set()).panels).toEqual(dashboard.panels);
  });
});

describe('renderSvg', () => {
  it('draws every panel with its title, and "No data" for a panel without series', () => {
    const svg = renderSvg({
      title: 'T & co',
      subtitle: 's',
      start: 0,
      end: 60,
      panels: [
        {
          title: 'Lines',
          type: 'timeseries',
          unit: 'ops',
          grid: { x: 0, y: 0, w: 12, h: 8 },
          series: [
            {
              label: 'a<b',
              points: [
                [0, 1],
                [60, 2],
              ],
            },
          ],
        },
        { title: 'Empty', type: 'stat', unit: 'short', grid: { x: 12, y: 0, w: 12, h: 8 }, series: [] },
      ],
    });
    expect(svg).toContain('T &amp; co');
    expect(svg).toContain('a&lt;b');
    expect(svg).toContain('<polyline');
    expect(svg).toContain('No data');
    expect(svg.startsWith('<svg')).toBe(true);
  });
});

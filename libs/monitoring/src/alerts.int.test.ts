// The chart's alert rules checked and unit-tested by promtool (Debian's prometheus package, from the
// test environment): every alert has a firing and a not-firing case in tests/alerts.test.yaml.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { loadTestEnv, runCommand } from '@kwdb-connect/testing';
import { ALERT_TESTS, ALERTS, CHART } from './paths';

const env = loadTestEnv();
const promtool = env.tools.promtool ?? '/usr/bin/promtool';

/** Alert names of a rules file, in order. */
function alertNames(yaml: string): string[] {
  return [...yaml.matchAll(/^\s*- alert: (\S+)$/gm)].map((m) => m[1]!);
}

describe('alert rules (charts/kwdb-connect/files/alerts.yaml)', () => {
  it('promtool check rules passes', async () => {
    const result = await runCommand(promtool, ['check', 'rules', ALERTS]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('SUCCESS: 8 rules found');
    expect(result.code).toBe(0);
  });

  it('promtool test rules passes', async () => {
    const result = await runCommand(promtool, ['test', 'rules', ALERT_TESTS], { cwd: CHART });
    expect(result.stdout + result.stderr).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('every alert is tested both firing and not firing, and has a runbook section in docs/operations.md', () => {
    const alerts = alertNames(readFileSync(ALERTS, 'utf8'));
    expect(alerts).toHaveLength(8);
    const tests = readFileSync(ALERT_TESTS, 'utf8');
    const runbooks = readFileSync(`${CHART}/../../docs/operations.md`, 'utf8');
    // Each alert_rule_test block: its alertname and whether it expects alerts.
    const checks = [...tests.matchAll(/alertname: (\S+)\n\s+exp_alerts:( \[\])?/g)].map((m) => ({
      alert: m[1]!,
      firing: m[2] === undefined,
    }));
    const missing = alerts.flatMap((alert) => [
      ...(checks.some((c) => c.alert === alert && c.firing) ? [] : [`${alert}: no firing case`]),
      ...(checks.some((c) => c.alert === alert && !c.firing) ? [] : [`${alert}: no not-firing case`]),
      ...(runbooks.includes(`### ${alert}\n`) ? [] : [`${alert}: no "### ${alert}" in docs/operations.md`]),
    ]);
    expect(missing).toEqual([]);
  });
});

export { loadTestEnv, parseTestEnv, TestEnvError, testEnvDir } from './test-env';
export type { TestEnv } from './test-env';
export { uniqueName } from './unique-name';
export { runCommand } from './run-command';
export type { CommandResult } from './run-command';
export { freePort, startThrowawayPostgres } from './throwaway-postgres';
export type { ThrowawayPostgres } from './throwaway-postgres';
export { startThrowawayKafka } from './throwaway-kafka';
export type { ThrowawayKafka } from './throwaway-kafka';

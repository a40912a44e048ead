import { jestConfig } from '../../jest.preset.js';
export default jestConfig(import.meta.dirname, { unitOnly: process.env.JEST_KIND === 'unit' });

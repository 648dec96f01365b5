// `npm run bench`: the benchmarks in bench/, run by jest only to reuse the TypeScript test harness.
// They print figures; they assert nothing about time.
import base from './jest.config.js';

export default { ...base, testMatch: ['<rootDir>/bench/**/*.bench.ts'], testTimeout: 600000 };

// Barrel for the shared helpers: `import { logger, retry } from '../util/index.js'`.
export * from './retry.js';
export * from './log.js';
export * from './http.js';

export * from './topics.js';
export * from './errors.js';
export * from './payloads.js';
export * from './results/index.js';
export * from './codec.js';
export * from './inventory.js';
export * from './events.js';
export * from './nul.js';

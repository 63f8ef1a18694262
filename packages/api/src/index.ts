export * from './fleet.js';
export * from './identity.js';
export * from './notify.js';
export * from './sla.js';
export * from './tickets.js';
export * from './status.js';
export * from './ticket-text/index.js';
export * from './thresholds.js';

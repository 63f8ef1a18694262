export { loadConfig, type HubConfig } from './config/config.js';
export { startHub, type RunningHub } from './app/hub.js';
export { createLogger } from './core/logger.js';
export { isProcessRunning } from './core/process-running.js';
export { buildApp } from './app/app.js';
export { connectDatabase, migrate, type Database } from './db/database.js';
export { startEmbeddedPostgres, freeLoopbackPort } from './db/embedded-postgres.js';

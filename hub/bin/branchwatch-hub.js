#!/usr/bin/env node
// The hub (hub/src/server.ts, built). It runs in this process, so signals reach it directly.
import { runBuilt } from './run-built.js';

await runBuilt('server');

#!/usr/bin/env node
// Backup and restore (docs/disaster-recovery.md): branchwatch-hub-ops backup|restore …
import { runBuilt } from './run-built.js';

await runBuilt('hub-ops');

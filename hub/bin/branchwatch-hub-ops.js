#!/usr/bin/env node
// Backup and restore (docs/disaster-recovery.md): branchwatch-hub-ops backup|restore …
import { register } from 'tsx/esm/api';

register();
await import('../src/ops/cli.ts');

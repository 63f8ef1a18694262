#!/usr/bin/env node
// Verifies the audit log's hash chain (docs/hub.md "Audit log"): branchwatch-audit-verify
import { register } from 'tsx/esm/api';

register();
await import('../src/ops/audit-verify.ts');

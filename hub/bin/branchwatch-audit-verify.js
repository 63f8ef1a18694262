#!/usr/bin/env node
// Verifies the audit log's hash chain (docs/hub.md "Audit log"): branchwatch-audit-verify
import { runBuilt } from './run-built.js';

await runBuilt('audit-verify');

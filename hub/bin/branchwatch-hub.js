#!/usr/bin/env node
// Entry point: tsx compiles the TypeScript sources on the fly, in this same process, so that
// signals sent to this process reach the hub itself.
import { register } from 'tsx/esm/api';

register();
await import('../src/server.ts');

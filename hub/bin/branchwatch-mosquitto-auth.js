#!/usr/bin/env node
// Writes Mosquitto's password and ACL files from the hub's database (hub/src/cli/mosquitto-auth.ts).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/mosquitto-auth.ts');

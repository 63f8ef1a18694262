#!/usr/bin/env node
// Writes Mosquitto's password and ACL files from the hub's database (hub/src/broker/mosquitto-auth.cli.ts).
import { register } from 'tsx/esm/api';

register();
await import('../src/broker/mosquitto-auth.cli.ts');

#!/usr/bin/env node
// Writes Mosquitto's password and ACL files from the hub's database (hub/src/broker/mosquitto-auth.cli.ts).
import { runBuilt } from './run-built.js';

await runBuilt('mosquitto-auth');

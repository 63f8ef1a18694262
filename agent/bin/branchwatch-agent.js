#!/usr/bin/env node
// Development entry point: tsx compiles the TypeScript sources on the fly. Releases are bundled
// with esbuild into a single executable, so src/ must not rely on anything tsx-specific.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');

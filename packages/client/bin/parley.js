#!/usr/bin/env node
// `npx parley`: the CLI runs from its TypeScript source, like the server.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/cli.ts');

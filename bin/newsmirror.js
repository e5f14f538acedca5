#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { CLI_V8_FLAGS } from '../dist/cli/v8-flags.js';

for (const flag of CLI_V8_FLAGS) setFlagsFromString(flag);
await import('../dist/cli/bin.js');

#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx tongban …` works from the repository without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../server/src/cli.ts');

#!/usr/bin/env node
/**
 * The `secrets-topology` command (lib/cli/main.ts). It runs from the TypeScript sources: this shim
 * registers tsx's loader and imports them, so no build step is needed. A built package would import
 * the compiled lib/cli/main.js here instead and need no loader.
 */
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../lib/cli/main.ts');
await main();

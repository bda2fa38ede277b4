#!/usr/bin/env node
/**
 * The `secrets-topology` command (lib/cli/main.ts). In a source checkout (lib/cli/main.ts next to
 * this file) it runs the TypeScript sources through tsx's loader, so that no build can be stale;
 * in the installed package (no sources, see "files" in package.json) it runs the compiled
 * JavaScript of `npm run build` with plain node.
 */
import { existsSync } from 'node:fs';

const source = new URL('../lib/cli/main.ts', import.meta.url);
let cli;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(source.href);
} else {
  cli = await import('../build/lib/cli/main.js');
}
await cli.main();

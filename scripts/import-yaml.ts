/**
 * `npm run import-yaml -- <file or directory>... [options]`: existing Spaces / ESO YAML to a
 * TypeScript topology (the `secrets-topology import` command; see --help and docs/import.md).
 */
import { importCommand } from '../lib/import/index.js';

process.exitCode = importCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});

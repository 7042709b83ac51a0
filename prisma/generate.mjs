// Generates the Prisma clients offline: `node prisma/generate.mjs <outDir>` (outDir relative to cwd)
// writes <outDir>/mysql and <outDir>/sqlite from the one schema.prisma.
// Why a script: every prisma CLI command first fetches a schema-engine binary, which fails
// offline, unless PRISMA_SCHEMA_ENGINE_BINARY names an executable (generate never runs it);
// and `provider` can't come from env, so the SQLite client comes from a derived schema.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outArg = process.argv[2];
if (!outArg) {
  process.stderr.write('usage: node prisma/generate.mjs <outDir>\n');
  process.exit(2);
}
const outDir = resolve(outArg);
const source = readFileSync(join(here, 'schema.prisma'), 'utf8');

/** The schema with its provider and output replaced; SQLite has no native type attributes. */
function variant(provider) {
  let text = source
    .replace(/provider\s*=\s*"mysql"/, `provider = "${provider}"`)
    .replace(/output\s*=\s*"[^"]*"/, `output = "./${provider}"`);
  if (provider === 'sqlite') text = text.replace(/\s@db\.\w+(\([^)]*\))?/g, '');
  return text;
}

const require = createRequire(join(here, '..', 'package.json'));
const cli = require.resolve('prisma/build/index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};

function generate(provider) {
  const schema = join(outDir, `${provider}.prisma`);
  rmSync(join(outDir, provider), { recursive: true, force: true });
  writeFileSync(schema, variant(provider));
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [cli, 'generate', '--schema', schema], { env, stdio: 'pipe' });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code) =>
      code === 0 ? ok() : fail(new Error(`prisma generate (${provider}) failed:\n${output}`)),
    );
  });
}

mkdirSync(outDir, { recursive: true });
try {
  await Promise.all([generate('mysql'), generate('sqlite')]);
  process.stdout.write(`prisma clients generated in ${outDir}/{mysql,sqlite}\n`);
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}

// Builds the BPF objects and the N-API addon. Idempotent: each step is skipped when its
// outputs are newer than its inputs. Run with `npm run build -w @zeroscope/bpf`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bpfDir = join(root, 'src/bpf');
// not under build/: node-gyp rebuild wipes that directory
const outDir = join(root, 'dist/bpf');
const APT = 'apt-get install -y clang llvm libbpf-dev bpftool';

function fail(msg) {
  console.error(`bpf build: ${msg}`);
  process.exit(1);
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function requireTools() {
  const missing = [];
  if (!has('clang')) missing.push('clang');
  if (!has('bpftool')) missing.push('bpftool');
  if (!existsSync('/usr/include/bpf/libbpf.h')) missing.push('libbpf-dev');
  if (missing.length) fail(`missing ${missing.join(', ')}; install them with:\n  ${APT}`);
}

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const newest = (paths) => Math.max(...paths.map(mtime));
const upToDate = (out, inputs) => existsSync(out) && mtime(out) >= newest(inputs);

function vmlinux() {
  const out = join(bpfDir, 'vmlinux.h');
  const btf = '/sys/kernel/btf/vmlinux';
  if (!existsSync(btf)) fail(`${btf} is missing: the kernel has no BTF (CONFIG_DEBUG_INFO_BTF)`);
  if (existsSync(out)) return;
  const text = execFileSync('bpftool', ['btf', 'dump', 'file', btf, 'format', 'c'], { maxBuffer: 1 << 28 });
  writeFileSync(out, text);
  console.log('bpf build: generated src/bpf/vmlinux.h');
}

function bpfObjects() {
  mkdirSync(outDir, { recursive: true });
  const headers = readdirSync(bpfDir)
    .filter((f) => f.endsWith('.h'))
    .map((f) => join(bpfDir, f));
  for (const src of readdirSync(bpfDir).filter((f) => f.endsWith('.bpf.c'))) {
    const out = join(outDir, src.replace(/\.c$/, '.o'));
    const inputs = [join(bpfDir, src), ...headers];
    if (upToDate(out, inputs)) continue;
    const args = ['-O2', '-g', '-target', 'bpf', '-mcpu=v3', '-D__TARGET_ARCH_x86', '-Wall'];
    args.push('-I', bpfDir, '-c', join(bpfDir, src), '-o', out);
    const r = spawnSync('clang', args, { stdio: 'inherit' });
    if (r.status !== 0) fail(`clang failed on ${src}`);
    console.log(`bpf build: compiled ${src}`);
  }
}

function addon() {
  const out = join(root, 'build/Release/zeroscope_bpf.node');
  const nativeDir = join(root, 'native');
  const inputs = [join(root, 'binding.gyp'), ...readdirSync(nativeDir).map((f) => join(nativeDir, f))];
  if (upToDate(out, inputs)) return;
  // through npm so the machine's nodedir setting applies (node-gyp alone downloads headers)
  const r = spawnSync('npm', ['run', 'gyp', '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fail('node-gyp failed (is libbpf-dev installed?)');
  console.log('bpf build: built the addon');
}

requireTools();
vmlinux();
bpfObjects();
addon();

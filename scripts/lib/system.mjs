// Machine prerequisites the project installs itself: Debian packages, tracefs, MariaDB.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Debian packages by purpose; `check` tells whether the package's payload is present. */
const PACKAGES = {
  build: [
    { pkg: 'clang', check: () => has('clang') },
    { pkg: 'llvm', check: () => has('llvm-strip') || existsSync('/usr/bin/llvm-strip-14') },
    { pkg: 'libbpf-dev', check: () => existsSync('/usr/include/bpf/libbpf.h') },
    { pkg: 'bpftool', check: () => has('bpftool') || existsSync('/usr/sbin/bpftool') },
  ],
  test: [
    { pkg: 'chromium', check: () => existsSync('/usr/bin/chromium') },
    // the profiling tests build tiny C programs that spin or sleep in named functions
    { pkg: 'gcc', check: () => has('gcc') },
    { pkg: 'tcpdump', check: () => has('tcpdump') || existsSync('/usr/bin/tcpdump') },
    { pkg: 'iproute2', check: () => has('ip') || existsSync('/usr/sbin/ip') },
    { pkg: 'mariadb-server', check: () => existsSync('/usr/sbin/mariadbd') },
    { pkg: 'curl', check: () => has('curl') },
    { pkg: 'openssl', check: () => has('openssl') },
    { pkg: 'wrk', check: () => has('wrk') },
    { pkg: 'nftables', check: () => has('nft') || existsSync('/usr/sbin/nft') },
    { pkg: 'prometheus', check: () => has('promtool') || existsSync('/usr/bin/prometheus') },
    { pkg: 'prometheus-node-exporter', check: () => existsSync('/usr/bin/prometheus-node-exporter') },
  ],
};

export function missingPackages(purposes) {
  return purposes.flatMap((p) => PACKAGES[p].filter((x) => !x.check()).map((x) => x.pkg));
}

/** Installs missing Debian packages when root with apt; otherwise prints the command. Returns false if still missing. */
export function ensurePackages(purposes, log) {
  const missing = missingPackages(purposes);
  if (missing.length === 0) return true;
  const cmd = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (!isRoot() || !has('apt-get')) {
    log(`missing Debian packages: ${missing.join(', ')}. Install them with:\n  sudo sh -c '${cmd}'`);
    return false;
  }
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('sh', ['-c', 'apt-get update -qq'], { stdio: 'inherit', env });
  execFileSync('sh', ['-c', `apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`], {
    stdio: 'inherit',
    env,
  });
  return missingPackages(purposes).length === 0;
}

/** Classic tracepoints need tracefs mounted. */
export function ensureTracefs(log) {
  const mounts = readFileSync('/proc/mounts', 'utf8');
  if (/ \/sys\/kernel\/tracing tracefs /.test(mounts)) return true;
  if (!isRoot()) {
    log('tracefs is not mounted; as root run: mount -t tracefs nodev /sys/kernel/tracing');
    return false;
  }
  const r = spawnSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing'], { stdio: 'inherit' });
  return r.status === 0;
}

export function portOpen(port, host = '127.0.0.1', timeoutMs = 500) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    const done = (ok) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/** Starts MariaDB when installed and not listening (the resource-store tests use it). */
export async function ensureMariadb(log) {
  if (await portOpen(3306)) return true;
  if (!existsSync('/usr/sbin/mariadbd')) {
    log('MariaDB is not installed; MySQL-backed tests will be skipped');
    return false;
  }
  if (!existsSync('/var/lib/mysql/mysql')) {
    spawnSync('sh', ['-c', 'mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null 2>&1'], {
      stdio: 'inherit',
    });
  }
  spawnSync('sh', ['-c', 'mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null; true']);
  spawnSync('start-stop-daemon', ['--start', '--oknodo', '--background', '--exec', '/usr/sbin/mariadbd'], {
    stdio: 'inherit',
  });
  for (let i = 0; i < 60; i++) {
    if (await portOpen(3306)) {
      // A fresh install lets root in only through the unix socket; allow the empty-password TCP login tests use.
      spawnSync(
        'sh',
        [
          '-c',
          `mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); CREATE DATABASE IF NOT EXISTS test" >/dev/null 2>&1`,
        ],
        { stdio: 'inherit' },
      );
      return true;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  log('MariaDB did not start listening on 3306');
  return false;
}

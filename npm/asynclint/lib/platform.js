// Which platform package holds the binary for the machine Node runs on. platforms.json is the one list of
// platform packages: npm/pack.mjs makes the optionalDependencies and each package's os/cpu/libc from it.
'use strict';

const platforms = require('../platforms.json');

// glibc or musl on Linux (npm's own `libc` field uses the same two words); null elsewhere. Node's report
// names the glibc it runs on, and has no such field on musl.
function libcOf(os) {
  if (os !== 'linux') return null;
  process.report.excludeNetwork = true;  // the report would otherwise list the process's sockets too
  const { header } = process.report.getReport();
  return header && header.glibcVersionRuntime ? 'glibc' : 'musl';
}

function current() {
  return { os: process.platform, cpu: process.arch, libc: libcOf(process.platform) };
}

function describe({ os, cpu, libc }) {
  return libc ? `${os}-${cpu} (${libc})` : `${os}-${cpu}`;
}

// The entry of platforms.json for this machine, or undefined.
function platformFor(machine = current()) {
  return platforms.find((p) => p.os === machine.os && p.cpu === machine.cpu && (p.libc || null) === machine.libc);
}

module.exports = { platforms, current, describe, platformFor };

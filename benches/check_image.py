#!/usr/bin/env python3
"""Benchmark of `wslconst check-image` on a multi-GB image (a script, not a test).

Builds an image from a debootstrap'd Debian rootfs plus synthetic files
(incompressible, text and sparse-like zeros) up to --size-gb, gzip'd with
pigz, then measures on the same file:

  - `gzip -dc IMAGE | tar -t`: the decompression limit;
  - `wslconst check-image IMAGE --json`: throughput and peak RSS;
  - WSL's own `distributions/validate-modern.py --tar IMAGE`, from a copy
    fetched outside this repository (--validate-modern), in a venv with its
    PyPI dependencies (libmagic1 from Debian must be installed);
  - the same rootfs in NixOS's layout (/etc/wsl-distribution.conf ->
    /etc/static/... -> /nix/store/..., links before their targets as
    `tar --sort=name` packs them): check-image reads it in a second pass;
  - an image of --hard-links hard links (default 20,000) to one 1 MiB file in
    /usr/lib/wsl: peak RSS must stay under 64 MiB (it was 2 GB per 2,000
    links when each link copied the contents).

Targets (issue 9): at least 4x faster than validate-modern.py, under 64 MiB
of peak RSS on every image.

Needs root for debootstrap (or --rootfs to reuse one), and network for
debootstrap and pip. Targets (issue 6): at least 0.8x the decompression
limit's speed, far ahead of validate-modern.py, peak RSS under 100 MB.

  sudo apt-get install debootstrap pigz libmagic1
  git --git-dir=/path/to/WSL.git show HEAD:distributions/validate-modern.py > /tmp/validate-modern.py
  cargo build --release -p wslconst-cli
  python3 benches/check_image.py --validate-modern /tmp/validate-modern.py
"""

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VALIDATOR_DEPS = ['click', 'json-cfg', 'GitPython', 'PyGithub', 'requests', 'python-magic']


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, **kw)


def build_rootfs(work, rootfs):
    if rootfs:
        return rootfs
    target = os.path.join(work, 'rootfs')
    if not os.path.exists(os.path.join(target, 'bin', 'sh')):
        sh('debootstrap --variant=minbase bookworm %s http://deb.debian.org/debian > %s/debootstrap.log'
           % (target, work))
    return target


def add_wsl_files_and_payload(rootfs, size_gb):
    os.makedirs(os.path.join(rootfs, 'usr/lib/wsl'), exist_ok=True)
    with open(os.path.join(rootfs, 'etc/wsl-distribution.conf'), 'w') as f:
        f.write('[oobe]\ndefaultName = Bench\n[shortcut]\nicon = /usr/lib/wsl/bench.ico\n'
                '[windowsterminal]\nprofileTemplate = /usr/lib/wsl/terminal-profile.json\n')
    with open(os.path.join(rootfs, 'usr/lib/wsl/bench.ico'), 'wb') as f:
        f.write(b'\0\0\1\0' + os.urandom(4092))
    template = os.path.join(rootfs, 'usr/lib/wsl/terminal-profile.json')
    with open(template, 'w') as f:
        f.write('{"profiles": [{"colorScheme": "Campbell"}]}')
    os.chmod(template, 0o640)
    payload = os.path.join(rootfs, 'opt/synthetic')
    want = int(size_gb * 1024 ** 3)
    have = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(payload) for f in fs) \
        if os.path.isdir(payload) else 0
    os.makedirs(payload, exist_ok=True)
    rng = random.Random(7)
    words = [''.join(rng.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(rng.randint(2, 10)))
             for _ in range(20000)]
    i = 0
    while have < want:
        kind = i % 4
        path = os.path.join(payload, 'd%03d' % (i // 200), 'f%06d' % i)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            if kind == 0:
                data = os.urandom(8 * 1024 * 1024)            # a binary blob
            elif kind == 1:
                data = ' '.join(rng.choice(words) for _ in range(400000)).encode()  # text
            elif kind == 2:
                data = bytes(4 * 1024 * 1024)                  # zeros
            else:
                data = os.urandom(64 * 1024) * 16              # repetitive
            f.write(data)
        have += len(data)
        i += 1


def pack(rootfs, image):
    sh('tar --numeric-owner --sort=name -C %s -cf - . | pigz -6 > %s' % (rootfs, image))


def pack_nixos_layout(rootfs, image):
    """Packs `rootfs` with its conf moved into /nix/store behind NixOS's
    chain of links, then puts the conf back."""
    conf = os.path.join(rootfs, 'etc/wsl-distribution.conf')
    store = os.path.join(rootfs, 'nix/store')
    etc = os.path.join(store, '0bench-etc/etc')
    target = os.path.join(store, '1bench-wsl-distribution.conf')
    os.makedirs(etc, exist_ok=True)
    shutil.move(conf, target)
    os.symlink('/nix/store/1bench-wsl-distribution.conf', os.path.join(etc, 'wsl-distribution.conf'))
    static = os.path.join(rootfs, 'etc/static')
    os.symlink('/nix/store/0bench-etc/etc', static)
    os.symlink('/etc/static/wsl-distribution.conf', conf)
    try:
        pack(rootfs, image)
    finally:
        os.remove(conf)
        os.remove(static)
        shutil.move(target, conf)
        shutil.rmtree(os.path.join(store, '0bench-etc'))


def build_hard_link_image(image, links):
    """`links` hard links to one 1 MiB file in /usr/lib/wsl, gzip'd."""
    import io
    import tarfile
    with tarfile.open(image, 'w:gz', compresslevel=1) as tar:
        data = os.urandom(1024 * 1024)
        info = tarfile.TarInfo('usr/lib/wsl/payload.bin')
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        for i in range(links):
            link = tarfile.TarInfo('usr/lib/wsl/link-%d.bin' % i)
            link.type = tarfile.LNKTYPE
            link.linkname = 'usr/lib/wsl/payload.bin'
            tar.addfile(link)


def timed(cmd, runs):
    """Wall seconds of each run and the peak RSS (KiB) of the last."""
    times = []
    rss = None
    for _ in range(runs):
        start = time.perf_counter()
        p = subprocess.run(['/usr/bin/time', '-f', '%M', 'bash', '-c', cmd + ' > /dev/null'],
                           capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if p.returncode not in (0, 1):
            sys.exit('%s failed (%d):\n%s' % (cmd, p.returncode, p.stderr[-2000:]))
        rss = int(p.stderr.strip().splitlines()[-1])
    return times, rss


def validator_env(work):
    venv = os.path.join(work, 'venv')
    python = os.path.join(venv, 'bin', 'python')
    if not os.path.exists(python):
        sh('python3 -m venv %s' % venv)
        sh('%s -m pip install -q %s' % (python, ' '.join(VALIDATOR_DEPS)))
    return python


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--validate-modern', required=True, help='a fetched copy of distributions/validate-modern.py')
    ap.add_argument('--size-gb', type=float, default=3.0, help='payload to add to the rootfs (default 3)')
    ap.add_argument('--work', default='/tmp/wslconst-bench', help='working folder (reused between runs)')
    ap.add_argument('--rootfs', help='an existing rootfs to use instead of debootstrap')
    ap.add_argument('--wslconst', default=os.path.join(ROOT, 'target/release/wslconst'))
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--hard-links', type=int, default=20000)
    args = ap.parse_args()
    if os.path.commonpath([os.path.abspath(args.validate_modern), ROOT]) == ROOT:
        sys.exit('--validate-modern must be a copy outside this repository')
    os.makedirs(args.work, exist_ok=True)
    rootfs = build_rootfs(args.work, args.rootfs)
    add_wsl_files_and_payload(rootfs, args.size_gb)
    image = os.path.join(args.work, 'image.wsl')
    pack(rootfs, image)
    compressed = os.path.getsize(image)
    tar_bytes = int(subprocess.run('gzip -dc %s | wc -c' % image, shell=True, capture_output=True,
                                   text=True, check=True).stdout)
    python = validator_env(args.work)

    nixos = os.path.join(args.work, 'image-nixos.wsl')
    pack_nixos_layout(rootfs, nixos)
    links = os.path.join(args.work, 'image-hard-links.wsl')
    build_hard_link_image(links, args.hard_links)

    rows = []
    limit, limit_rss = timed('gzip -dc %s | tar -t' % image, args.runs)
    rows.append(('gzip -dc | tar -t', limit, limit_rss))
    ours, ours_rss = timed('%s check-image %s --json' % (args.wslconst, image), args.runs)
    rows.append(('wslconst check-image', ours, ours_rss))
    theirs, theirs_rss = timed('%s %s --tar %s' % (python, args.validate_modern, image), 1)
    rows.append(('validate-modern.py', theirs, theirs_rss))
    nix_times, nix_rss = timed('%s check-image %s --json' % (args.wslconst, nixos), args.runs)
    rows.append(('check-image, NixOS', nix_times, nix_rss))
    nix_theirs, nix_theirs_rss = timed('%s %s --tar %s' % (python, args.validate_modern, nixos), 1)
    rows.append(('validate-modern, NixOS', nix_theirs, nix_theirs_rss))

    print('image: %.2f GB compressed, %.2f GB of tar' % (compressed / 1e9, tar_bytes / 1e9))
    print('%-22s %10s %12s %12s %10s' % ('', 'median s', 'tar MB/s', 'vs limit', 'peak RSS'))
    base = statistics.median(limit)
    for name, times, rss in rows:
        m = statistics.median(times)
        print('%-22s %10.2f %12.0f %11.2fx %7.1f MB' % (name, m, tar_bytes / m / 1e6, base / m, rss / 1024))
    link_times, link_rss = timed('%s check-image %s --json' % (args.wslconst, links), args.runs)
    print('%d hard links to a 1 MiB file: %.2f s, peak RSS %.1f MB'
          % (args.hard_links, statistics.median(link_times), link_rss / 1024))
    ok = (statistics.median(ours) * 4 <= statistics.median(theirs)
          and statistics.median(nix_times) * 4 <= statistics.median(nix_theirs)
          and max(ours_rss, nix_rss, link_rss) < 64 * 1024)
    print('targets (>= 4x validate-modern.py, RSS < 64 MiB):', 'met' if ok else 'NOT met')


if __name__ == '__main__':
    main()

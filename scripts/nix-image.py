#!/usr/bin/env python3
"""The NixOS module's image builder (system.build.wslconstTarballBuilder), run
for real where CI has no nixpkgs:

- its script is nix/lib.nix's `imageWrapper` (builtins only, so
  nix-instantiate evaluates it here) around nix/wrap-image.sh, given what the
  module gives it by default on NixOS-WSL: the conf nix/lib.nix renders from
  the module's defaults (oobe.defaultName, the icon under /usr/share/wsl, the
  template), the default template, NixOS-WSL's icon;
- shellcheck passes on it, as writeShellApplication requires;
- a stand-in for NixOS-WSL's builder writes an image laid out as NixOS-WSL's
  (its own conf and /etc/nixos.ico, /bin/sh, /sbin/init and /etc files
  behind links into /nix/store, /etc/wsl.conf copied with the mode the
  module gives it, locked accounts);
- the result passes `wslconst check-image` with no error and no warning, and
  the JSON report is beside the image; with a personal identifier that the
  image holds, or failOnWarnings and a warning, the builder fails and prints
  the human report.

Usage: scripts/nix-image.py WSLCONST_BINARY
"""

import gzip
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile

from expectations import expect, finish

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def nix_string(expr):
    p = subprocess.run(['nix-instantiate', '--eval', '--strict', '--json', '--readonly-mode', '-E', expr],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit('nix-instantiate failed:\n%s\n%s' % (expr, p.stderr))
    return json.loads(p.stdout)


def elf():
    head = bytearray(b'\x7fELF\x02\x01\x01') + bytes(11) + (62).to_bytes(2, 'little')
    return bytes(head) + bytes(44)


# NixOS-WSL's own conf (generators.toINI of oobe.defaultName and shortcut.icon).
NIXOS_WSL_CONF = b'[oobe]\ndefaultName=NixOS\n\n[shortcut]\nicon=/etc/nixos.ico\n'


def fake_nixos_wsl_image(path):
    """A gzip'd tar named as NixOS-WSL's `tar -C root -c .` names members."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=tarfile.GNU_FORMAT) as tar:
        def add(name, data=None, mode=0o644, link=None, kind=None):
            info = tarfile.TarInfo('./' + name)
            info.mode = mode
            info.uid = info.gid = 0
            if kind == 'dir':
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif link is not None:
                info.type = tarfile.SYMTYPE
                info.linkname = link
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        for d in ['bin', 'etc', 'etc/static', 'nix', 'nix/store', 'sbin', 'usr', 'usr/bin']:
            add(d, kind='dir', mode=0o755)
        add('bin/sh', link='/nix/store/c3-bash/bin/sh')
        add('sbin/init', link='/nix/store/d4-system/init')
        add('etc/static', link='/nix/store/a1-etc/etc')
        # NixOS links /etc files into the store (mode 0444), except those with
        # a `mode`, which it copies: the module gives /etc/wsl.conf 0644.
        add('etc/wsl.conf', b'[boot]\nsystemd=true\n[automount]\nroot=/mnt\n', mode=0o644)
        add('etc/hostname', link='/etc/static/hostname')
        add('nix/store/a1-etc/etc/hostname', link='/nix/store/e5-hostname')
        add('nix/store/e5-hostname', b'nixos\n', mode=0o444)
        add('nix/store/c3-bash/bin/sh', elf(), mode=0o555)
        add('nix/store/d4-system/init', elf(), mode=0o555)
        add('etc/passwd', b'root:x:0:0:System administrator:/root:/run/current-system/sw/bin/bash\n'
            b'nixos:x:1000:100::/home/nixos:/run/current-system/sw/bin/bash\n')
        add('etc/shadow', b'root:!:1::::::\nnixos:!:1::::::\n', mode=0o640)
        add('etc/wsl-distribution.conf', NIXOS_WSL_CONF)
        add('etc/nixos.ico', b'\x00\x00\x01\x00' + bytes(60))
        if os.environ.get('FAKE_WARNING'):
            # A folder anyone can write to, without the sticky bit: a warning.
            add('srv/shared', kind='dir', mode=0o777)
    with open(path, 'wb') as f:
        f.write(gzip.compress(buf.getvalue()))


def builder_script(work, binary, builder, check_args=(), fail_on_warnings=False):
    expr = '''
      let
        lib = import %(root)s/nix/lib.nix { };
        rules = lib.rules;
        # The NixOS module's defaults on NixOS-WSL.
        conf = lib.renderDistributionConf {
          oobe.defaultName = "NixOS";
          shortcut.icon = lib.defaultIconPath;
          windowsterminal.profileTemplate = rules.profileTemplatePath;
        };
        template = lib.renderProfileTemplate { };
      in {
        inherit conf template;
        script = lib.imageWrapper {
          builder = %(builder)s;
          wslconst = %(binary)s;
          confFile = "%(work)s/wsl-distribution.conf";
          templateFile = "%(work)s/terminal-profile.json";
          iconPath = lib.defaultIconPath;
          checkArgs = builtins.fromJSON %(check_args)s;
          failOnWarnings = %(fail)s;
        };
      }
    ''' % {'root': ROOT, 'builder': json.dumps(builder), 'binary': json.dumps(binary), 'work': work,
           'check_args': json.dumps(json.dumps(list(check_args))), 'fail': 'true' if fail_on_warnings else 'false'}
    out = nix_string(expr)
    with open(os.path.join(work, 'wsl-distribution.conf'), 'w') as f:
        f.write(out['conf'])
    with open(os.path.join(work, 'terminal-profile.json'), 'w') as f:
        f.write(out['template'])
    script = os.path.join(work, 'wslconst-tarball-builder')
    with open(script, 'w') as f:
        # What writeShellApplication puts before the text.
        f.write('#!/usr/bin/env bash\nset -o errexit\nset -o nounset\nset -o pipefail\n\n' + out['script'])
    os.chmod(script, 0o755)
    return script


def run_builder(work, binary, **kw):
    builder = os.path.join(work, 'nixos-wsl-tarball-builder')
    with open(builder, 'w') as f:
        f.write('#!/usr/bin/env bash\n# Stands in for NixOS-WSL: writes its image to the last argument.\n'
                'out=nixos.wsl\nfor a in "$@"; do case "$a" in -*) ;; *) out="$a" ;; esac; done\n'
                'exec python3 %s --fake-nixos-wsl "$out"\n' % os.path.abspath(__file__))
    os.chmod(builder, 0o755)
    script = builder_script(work, binary, builder, **kw)
    image = os.path.join(work, 'out', 'nixos.wsl')
    os.makedirs(os.path.dirname(image), exist_ok=True)
    for f in os.listdir(os.path.dirname(image)):
        os.remove(os.path.join(os.path.dirname(image), f))
    p = subprocess.run([script, '--extra-files', work, '--chown', '/home/nixos', '1000:100', image],
                       capture_output=True, text=True)
    return script, image, p


def main():
    if len(sys.argv) == 3 and sys.argv[1] == '--fake-nixos-wsl':
        fake_nixos_wsl_image(sys.argv[2])
        return
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        script, image, p = run_builder(work, binary)
        sc = subprocess.run(['shellcheck', '--shell=bash', script], capture_output=True, text=True)
        expect('shellcheck passes on the builder', sc.returncode == 0, sc.stdout)
        expect('the builder succeeds', p.returncode == 0, p.stdout + p.stderr)
        report_path = image + '.check-image.json'
        expect('the JSON report is beside the image', os.path.exists(report_path))
        if os.path.exists(report_path):
            report = json.load(open(report_path))
            expect('no error and no warning on the default image', report['errors'] == 0 and report['warnings'] == 0,
                   json.dumps(report['rules'] + report['security'], indent=1))
            expect('the preview names NixOS', report['terminal']['name'] == 'NixOS')
        with tarfile.open(image) as tar:
            members = {m.name: m for m in tar.getmembers()}
            for name, mode in [('./usr/lib/wsl', 0o755), ('./usr/share/wsl', 0o755),
                               ('./etc/wsl-distribution.conf', 0o644),
                               ('./usr/lib/wsl/terminal-profile.json', 0o640),
                               ('./usr/share/wsl/nixos.ico', 0o644)]:
                m = members.get(name)
                expect('%s in the image' % name, m is not None and m.mode == mode and m.uid == 0,
                       '' if m is None else oct(m.mode))
            icon = tar.extractfile('./usr/share/wsl/nixos.ico').read()
            expect('NixOS-WSL\'s icon is the one shipped', icon == b'\x00\x00\x01\x00' + bytes(60))

        _, image, p = run_builder(work, binary, check_args=['--personal', 'nixos'])
        expect('a personal identifier in the image fails the build', p.returncode == 1, p.stdout[-500:])
        expect('with the human report', 'error[personal-data]' in p.stdout, p.stdout[-2000:])

        _, image, p = run_builder(work, binary, fail_on_warnings=True,
                                  check_args=['--name', 'NixOS'])
        expect('failOnWarnings with no warning still passes', p.returncode == 0, p.stdout[-2000:])
        os.environ['FAKE_WARNING'] = '1'
        _, image, p = run_builder(work, binary)
        expect('a warning alone passes', p.returncode == 0 and '(1 warnings)' in p.stdout, p.stdout[-2000:])
        _, image, p = run_builder(work, binary, fail_on_warnings=True)
        expect('failOnWarnings fails on a warning', p.returncode == 1 and 'world-writable' in p.stdout,
               p.stdout[-2000:])
        del os.environ['FAKE_WARNING']

    finish()


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""The NixOS and home-manager modules, evaluated with nixpkgs' lib
(tests/nix/modules.nix) and checked against wslconst itself:

- the NixOS module's wsl-distribution.conf equals `wslconst distribution-conf
  render` of the same options byte for byte, its template `wslconst template
  render` by value; its assertions and warnings fire for WSL's rules;
- its image builder wrapper runs for real on a fake NixOS-WSL image: the conf
  is replaced, the template added, both owned by root with the modes from
  constants.json, everything else untouched;
- the home-manager activation script runs for real against a fake Windows
  profile: profiles merged, stale ones removed, defaultProfile set, and a
  second activation changes nothing.

nixpkgs cannot be downloaded where CI runs, so CI does not run this. Usage:
  scripts/nix-modules.py NIXPKGS_LIB_DIR WSLCONST_BINARY
"""

import gzip
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FAILURES = []


def expect(what, ok, detail=''):
    if not ok:
        FAILURES.append('%s %s' % (what, detail))


def rust(binary, args, options=None):
    extra = []
    if options is not None:
        f = tempfile.NamedTemporaryFile('w', suffix='.json', delete=False)
        json.dump(options, f)
        f.close()
        extra = ['--from-json', f.name]
    p = subprocess.run([binary] + args + extra, capture_output=True, check=True)
    return p.stdout.decode()


def evaluate(lib_dir, work):
    wrong = os.path.join(work, 'wrong-shape.json')
    with open(wrong, 'w') as f:
        f.write('{"profile": []}\n')
    p = subprocess.run(['nix-instantiate', '--eval', '--strict', '--json', '--readonly-mode',
                        '--arg', 'lib', 'import %s' % lib_dir,
                        '--arg', 'wrongShapeTemplate', wrong,
                        os.path.join(ROOT, 'tests/nix/modules.nix')],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit('tests/nix/modules.nix does not evaluate:\n' + p.stderr)
    return json.loads(p.stdout)


def check_nixos(binary, nixos):
    template_path = '/usr/lib/wsl/terminal-profile.json'
    base = {'oobe.defaultName': 'NixOS', 'windowsterminal.profileTemplate': template_path}
    expected_confs = {
        'settings': dict(base, **{'oobe.defaultUid': 1000}),
        'nixosWsl': dict(base, **{'shortcut.icon': '/etc/nixos.ico'}),
        'notRead': {'oobe.defaultName': 'NixOS', 'windowsterminal.enabled': False,
                    'windowsterminal.profileTemplate': template_path},
    }
    for case, options in expected_confs.items():
        want = rust(binary, ['distribution-conf', 'render'], options)
        expect('nixos %s: conf' % case, nixos[case]['conf'] == want, '\n%r\n%r' % (nixos[case]['conf'], want))
    want = rust(binary, ['template', 'render'], {'fontFace': 'Cascadia Code', 'fontSize': 11, 'colorScheme': 'One Half Dark'})
    expect('nixos settings: template', json.loads(nixos['settings']['template']) == json.loads(want))
    expect('nixos settings: no failed assertion', nixos['settings']['failed'] == [], nixos['settings']['failed'])
    expect('nixos settings: no builder without NixOS-WSL', 'wslconstTarballBuilder' not in nixos['settings']['build'])
    expect('nixos nixosWsl: builder', 'wslconstTarballBuilder' in nixos['nixosWsl']['build'])
    expect('nixos disabled: nothing built', nixos['disabled']['build'] == [] and nixos['disabled']['failed'] == [])
    for case, needle in [('badPath', 'contains ".."'), ('notRead', 'would never read it'),
                         ('wrongShape', 'needs a "profiles" list')]:
        expect('nixos %s: assertion' % case, any(needle in m for m in nixos[case]['failed']), nixos[case]['failed'])
    warnings = nixos['outsideDirs']['warnings']
    expect('nixos outsideDirs: warnings', len(warnings) == 2 and all('not under' in w for w in warnings), warnings)
    for case in nixos.values():
        for script in case['checks']:
            expect('system.checks runs both wslconst checks',
                   'distribution-conf check' in script and 'template check' in script, script)


def run_image_builder(binary, nixos, work):
    """Runs the wrapper on a fake NixOS-WSL image and inspects the result."""
    case = nixos['nixosWsl']
    bin_dir = os.path.join(work, 'bin')
    os.makedirs(bin_dir)
    conf = os.path.join(work, 'wsl-distribution.conf')
    template = os.path.join(work, 'terminal-profile.json')
    with open(conf, 'w') as f:
        f.write(case['conf'])
    with open(template, 'w') as f:
        f.write(case['template'])
    # NixOS-WSL's builder, reduced to what the wrapper relies on: it writes
    # the image, with its own conf, to the positional argument.
    with open(os.path.join(bin_dir, 'nixos-wsl-tarball-builder'), 'w') as f:
        f.write('''#!/bin/sh
out=nixos.wsl
while [ $# -gt 0 ]; do case "$1" in --extra-files) shift ;; --chown) shift; shift ;; -*) ;; *) out="$1" ;; esac; shift; done
root=$(mktemp -d)
mkdir -p "$root/etc" "$root/bin"
printf '[oobe]\\ndefaultName = NixOS\\n[shortcut]\\nicon = /etc/nixos.ico\\n' > "$root/etc/wsl-distribution.conf"
printf 'not really a shell' > "$root/bin/sh"
chmod 644 "$root/etc/wsl-distribution.conf"
tar -C "$root" -c --numeric-owner --owner=0 --group=0 . | gzip > "$out"
''')
    with open(os.path.join(bin_dir, 'pigz'), 'w') as f:
        f.write('#!/bin/sh\nexec gzip "$@"\n')
    for name in os.listdir(bin_dir):
        os.chmod(os.path.join(bin_dir, name), 0o755)
    script = case['tarballBuilder'].replace('/stub/wsl-distribution.conf', conf) \
                                   .replace('/stub/terminal-profile.json', template)
    image = os.path.join(work, 'image.wsl')
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ['PATH'])
    p = subprocess.run(['bash', '-euo', 'pipefail', '-c', script, 'builder', '--extra-files', work, image],
                       env=env, capture_output=True, text=True)
    expect('image builder runs', p.returncode == 0, p.stdout + p.stderr)
    if p.returncode != 0:
        return
    rules = json.load(open(os.path.join(ROOT, 'rendered/constants.json')))['wslRules']['files']
    with tarfile.open(image, 'r:gz') as tar:
        members = {m.name: m for m in tar.getmembers()}
        names = [m.name for m in tar.getmembers()]
        conf_member = members.get('./etc/wsl-distribution.conf')
        template_member = members.get('./usr/lib/wsl/terminal-profile.json')
        expect('image: one conf', names.count('./etc/wsl-distribution.conf') == 1, names)
        expect('image: conf replaced', conf_member is not None and
               tar.extractfile(conf_member).read().decode() == case['conf'])
        expect('image: conf mode and owner', conf_member is not None and
               '%04o' % conf_member.mode == rules['distributionConf']['modes'][-1] and conf_member.uid == 0 and conf_member.gid == 0,
               conf_member and (oct(conf_member.mode), conf_member.uid))
        expect('image: template added', template_member is not None and
               tar.extractfile(template_member).read().decode() == case['template'])
        expect('image: template mode and owner', template_member is not None and
               '%04o' % template_member.mode == rules['windowsterminal.profileTemplate']['modes'][-1] and template_member.uid == 0,
               template_member and oct(template_member.mode))
        expect('image: the rest untouched', './bin/sh' in members and
               tar.extractfile(members['./bin/sh']).read() == b'not really a shell')
        extracted = os.path.join(work, 'extracted.conf')
        with open(extracted, 'wb') as f:
            f.write(tar.extractfile(conf_member).read())
    p = subprocess.run([binary, 'distribution-conf', 'check', extracted], capture_output=True, text=True)
    expect('image: wslconst distribution-conf check passes', p.returncode == 0, p.stdout + p.stderr)


def run_activation(binary, home, work):
    case = home['profiles']
    appdata = os.path.join(work, 'AppData', 'Local')
    terminal = os.path.join(appdata, 'Microsoft', 'Windows Terminal')
    os.makedirs(terminal)
    settings = os.path.join(terminal, 'settings.json')
    state = os.path.join(terminal, 'state.json')
    stale_id = '{4a6c0b1e-8f2d-4c3a-9b7e-1d2f3a4b5c6d}'
    stale_guid = rust(binary, ['guid', 'tier2', stale_id]).strip()
    with open(settings, 'w') as f:
        f.write('{\n    // mine\n    "profiles": {\n        "list": [\n'
                '            { "guid": "%s", "name": "NixOS" }\n        ]\n    }\n}\n' % stale_guid)
    with open(state, 'w') as f:
        f.write('{"generatedProfiles": ["%s"]}' % stale_guid)
    script = case['activation']['data'].replace('@LOCALAPPDATA@', appdata) \
                                       .replace('/stub/wslconst/bin/wslconst', binary)
    for name, text in case['files'].items():
        path = os.path.join(work, 'wsl-terminal-%s.json' % name)
        with open(path, 'w') as f:
            f.write(text)
        script = script.replace('/stub/wsl-terminal-%s.json' % name, path)
    prelude = 'run() { "$@"; }\nwarnEcho() { echo "WARN: $*" >&2; }\n'
    outputs = []
    for _ in range(2):
        p = subprocess.run(['bash', '-eu', '-c', prelude + script], capture_output=True, text=True)
        outputs.append(p)
        expect('activation runs', p.returncode == 0 and 'WARN' not in p.stderr, p.stdout + p.stderr)
    value = json.loads(rust(binary, ['settings', 'expected', '--json', '--distro',
                                     'NixOS={fc3bf427-722c-4c2b-84bf-17202d2e3740}', '--distro', 'Debian']))
    nixos_guid, debian_guid = value[0]['profile'], value[1]['profile']
    text = open(settings).read()
    expect('activation: comment kept above its member', '    // mine\n    "profiles"' in text, text)
    expect('activation: stale profile removed', stale_guid not in text, text)
    expect('activation: state pruned', stale_guid not in open(state).read())
    doc = json.loads('\n'.join(line for line in text.splitlines() if '//' not in line))
    profiles = {p['guid']: p for p in doc['profiles']['list']}
    expect('activation: NixOS profile', profiles.get(nixos_guid, {}).get('colorScheme') == 'One Half Dark'
           and profiles[nixos_guid].get('font') == {'face': 'Cascadia Code', 'size': 11}, profiles)
    expect('activation: Debian hidden', profiles.get(debian_guid, {}).get('hidden') is True, profiles)
    expect('activation: default profile', doc.get('defaultProfile') == nixos_guid, doc.get('defaultProfile'))
    expect('activation: second run changes nothing',
           outputs[1].stdout.count('nothing to change') == 5 and 'written' not in outputs[1].stdout,
           outputs[1].stdout)


def main():
    if len(sys.argv) != 3 or not os.path.isdir(sys.argv[1]):
        sys.exit(__doc__)
    lib_dir, binary = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    work = tempfile.mkdtemp(prefix='wslconst-nix-modules-')
    try:
        result = evaluate(lib_dir, work)
        check_nixos(binary, result['nixos'])
        run_image_builder(binary, result['nixos'], os.path.join(work, 'image'))
        run_activation(binary, result['home'], os.path.join(work, 'home'))
        expect('home unknownDefault: assertion',
               any('not an entry' in m for m in result['home']['unknownDefault']['failed']))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in FAILURES:
        print('FAILED ' + f)
    print('nix-modules: %d failure(s)' % len(FAILURES))
    sys.exit(1 if FAILURES else 0)


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""The NixOS and home-manager modules, evaluated with nixpkgs' lib
(tests/nix/modules.nix) and checked against wslconst itself:

- the NixOS module's wsl-distribution.conf equals `wslconst distribution-conf
  render` of the same options byte for byte, its template `wslconst template
  render` by value; its assertions and warnings fire for WSL's rules;
- each module is imported once when listed twice, builds wslconst from the
  pkgs it is given (or the overlay's pkgs.wslconst), and hands its options
  to nix/lib.nix's imageWrapper and homeActivation, whose scripts CI runs for
  real (scripts/nix-image.py, scripts/nix-activation.py);
- the home-manager module refuses settings that are not an attribute set.

nixpkgs cannot be downloaded where CI runs, so CI does not run this. Usage:
  scripts/nix-modules.py NIXPKGS_LIB_DIR WSLCONST_BINARY
"""

import json
import os
import shutil
import subprocess
import sys
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
        'nixosWsl': dict(base, **{'shortcut.icon': '/usr/share/wsl/nixos.ico'}),
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
        for script in case['checks'] if isinstance(case, dict) else []:
            expect('system.checks runs both wslconst checks',
                   'distribution-conf check' in script and 'template check' in script, script)


def check_more_nixos(nixos):
    expect('nixos twice: imported once', nixos['twice']['failed'] == [] and 'wslDistributionConf' in nixos['twice']['build'])
    expect('nixos noChecks: no system.checks', nixos['noChecks']['checks'] == [])
    builder = nixos['imageCheck']['tarballBuilder'] or ''
    expect('nixos imageCheck: options reach the builder',
           "check_args=('--personal' 'jdoe')" in builder and 'fail_on_warnings=true' in builder, builder[:800])
    expect('nixos imageCheck: /etc/wsl.conf copied with a mode', nixos['imageCheck']['etc'] == {'wsl.conf': {'mode': '0644'}})
    expect('nixos: package from pkgs (callPackage)', nixos['settings']['package'] == 'wslconst-from-package.nix')
    expect('nixos: package from the overlay', nixos['overlay'] == 'wslconst-overlay')
    expect('nixos: the builder is nix/lib.nix imageWrapper', nixos['builderIsTheTestedOne'] is True)
    expect('nixos: config.lib.wslconst', nixos['guid'] == '{ee603799-d7fe-5a9f-a662-e784d8a502df}', nixos['guid'])


def check_home(home):
    expect('home unknownDefault: assertion', any('not an entry' in m for m in home['unknownDefault']['failed']))
    expect('home twice: imported once', home['twice']['failed'] == [])
    expect('home settings: null, lists, strings and numbers refused', home['settingsRefused'] == [True] * 4,
           home['settingsRefused'])
    expect('home settings: an attribute set taken', home['settingsTaken'] is False)
    expect('home: the activation is nix/lib.nix homeActivation', home['activationIsTheTestedOne'] is True)
    expect('home: profile GUIDs at evaluation time', home['guids'] == {
        'nixos': '{ee603799-d7fe-5a9f-a662-e784d8a502df}', 'debian': '{58ad8b0c-3ef8-5f4d-bc6f-13e4c00f2530}',
        'lib': '{2c4de342-38b7-51cf-b940-2309a097f518}',
        'disabled': {'guid': '{2c4de342-38b7-51cf-b940-2309a097f518}', 'hidden': True}}, home['guids'])
    expect('home: absolute paths, not PATH', "[ -x '/bin/wslpath' ]" in home['profiles']['activation']['data']
           and 'command -v' not in home['profiles']['activation']['data'])


def main():
    if len(sys.argv) != 3 or not os.path.isdir(sys.argv[1]):
        sys.exit(__doc__)
    lib_dir, binary = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    work = tempfile.mkdtemp(prefix='wslconst-nix-modules-')
    try:
        result = evaluate(lib_dir, work)
        check_nixos(binary, result['nixos'])
        check_more_nixos(result['nixos'])
        check_home(result['home'])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in FAILURES:
        print('FAILED ' + f)
    print('nix-modules: %d failure(s)' % len(FAILURES))
    sys.exit(1 if FAILURES else 0)


if __name__ == '__main__':
    main()

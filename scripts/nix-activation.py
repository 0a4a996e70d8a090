#!/usr/bin/env python3
"""The home-manager module's activation, run for real where CI has no nixpkgs:

- its text is nix/lib.nix's `homeActivation` (builtins only), given what the
  module gives it: the wslconst binary, the profiles' JSON files, and no
  localAppData, so that it must ask Windows;
- it runs under exactly the PATH home-manager gives activations
  (home.emptyActivationPath, the default since stateVersion 22.11: bash,
  coreutils, diffutils, findutils, gettext, grep, sed, jq, ncurses, nix), here
  the same programs of Debian's packages, with home-manager's `run` and
  `warnEcho`;
- Windows is a stand-in cmd.exe and wslpath at the absolute paths the module
  passes (never on that PATH), over a fake %LOCALAPPDATA% with an installed
  Terminal;
- the profiles are merged, the stale one removed, the default set; a second
  activation changes nothing; without cmd.exe it warns and changes nothing;
- shellcheck passes on it.

Usage: scripts/nix-activation.py WSLCONST_BINARY
"""

import json
import os
import subprocess
import sys
import tempfile

from expectations import expect, finish

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# home-manager's activation PATH (modules/home-environment.nix,
# activationBinPaths), as the Debian packages that hold the same programs.
HM_PACKAGES = ['bash', 'coreutils', 'diffutils', 'findutils', 'gettext-base', 'grep', 'sed', 'jq',
               'ncurses-bin']

# home-manager's own definitions (lib/bash/home-manager.sh), reduced to what
# a live, non-verbose activation does.
HM_FUNCTIONS = '''
run() { "$@"; }
warnEcho() { echo "$*"; }
'''

NIXOS_ID = '{fc3bf427-722c-4c2b-84bf-17202d2e3740}'
STALE_ID = '{4a6c0b1e-8f2d-4c3a-9b7e-1d2f3a4b5c6d}'
SETTINGS = '''{
    // my settings
    "profiles": {
        "list": [
            { "guid": "{61c54bbd-c2c6-5271-96e7-009a87ff44bf}", "name": "Windows PowerShell" }
        ]
    }
}
'''



def activation_path(work):
    """A folder holding only the programs of home-manager's activation PATH."""
    bin_dir = os.path.join(work, 'hm-bin')
    os.makedirs(bin_dir)
    for package in HM_PACKAGES:
        p = subprocess.run(['dpkg', '-L', package], capture_output=True, text=True)
        for path in p.stdout.splitlines():
            if os.path.dirname(path) in ('/bin', '/usr/bin', '/sbin', '/usr/sbin') and os.path.isfile(path) \
                    and os.access(path, os.X_OK):
                target = os.path.join(bin_dir, os.path.basename(path))
                if not os.path.exists(target):
                    os.symlink(path, target)
    return bin_dir


def activation(binary, work, cmd_exe, wslpath):
    profiles = os.path.join(work, 'nixos.json')
    with open(profiles, 'w') as f:
        json.dump({'colorScheme': 'One Half Dark', 'font': {'face': 'Cascadia Code', 'size': 11}}, f)
    hidden = os.path.join(work, 'debian.json')
    with open(hidden, 'w') as f:
        json.dump({'hidden': True}, f)
    expr = '''
      (import %(root)s/nix/lib.nix { }).homeActivation {
        exe = %(exe)s;
        wslpath = %(wslpath)s;
        cmdExe = %(cmd)s;
        staleDistributionIds = [ "%(stale)s" ];
        profiles = [
          { file = %(nixos)s; args = [ "--distro" "NixOS" "--distribution-id" "%(id)s" ]; }
          { file = %(debian)s; args = [ "--distro" "Debian" ]; }
        ];
        defaultArgs = [ "--distro" "NixOS" "--distribution-id" "%(id)s" ];
      }
    ''' % {'root': ROOT, 'exe': json.dumps(binary), 'wslpath': json.dumps(wslpath), 'cmd': json.dumps(cmd_exe),
           'stale': STALE_ID, 'id': NIXOS_ID, 'nixos': json.dumps(profiles), 'debian': json.dumps(hidden)}
    p = subprocess.run(['nix-instantiate', '--eval', '--strict', '--json', '--readonly-mode', '-E', expr],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit('homeActivation does not evaluate:\n' + p.stderr)
    script = os.path.join(work, 'activate')
    with open(script, 'w') as f:
        f.write('#!/bin/bash\nset -eu\nset -o pipefail\n' + HM_FUNCTIONS + json.loads(p.stdout))
    os.chmod(script, 0o755)
    return script


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as work:
        bin_dir = activation_path(work)
        appdata = os.path.join(work, 'c', 'Users', 'me', 'AppData', 'Local')
        local_state = os.path.join(appdata, 'Packages', 'Microsoft.WindowsTerminal_8wekyb3d8bbwe', 'LocalState')
        os.makedirs(local_state)
        settings = os.path.join(local_state, 'settings.json')
        with open(settings, 'w') as f:
            f.write(SETTINGS)
        windows = os.path.join(work, 'windows')
        os.makedirs(windows)
        cmd_exe = os.path.join(windows, 'cmd.exe')
        with open(cmd_exe, 'w') as f:
            f.write('#!/bin/sh\nprintf "C:\\\\Users\\\\me\\\\AppData\\\\Local\\r\\n"\n')
        wslpath = os.path.join(windows, 'wslpath')
        with open(wslpath, 'w') as f:
            f.write('#!/bin/sh\n[ "$1" = -u ] && [ "$2" = "C:\\\\Users\\\\me\\\\AppData\\\\Local" ] && echo %s\n' % appdata)
        for tool in (cmd_exe, wslpath):
            os.chmod(tool, 0o755)
            expect('%s is not on the activation PATH' % os.path.basename(tool),
                   not os.path.exists(os.path.join(bin_dir, os.path.basename(tool))))

        script = activation(binary, work, cmd_exe, wslpath)
        sc = subprocess.run(['shellcheck', '--shell=bash', '-e', 'SC2317', script], capture_output=True, text=True)
        expect('shellcheck passes on the activation', sc.returncode == 0, sc.stdout)
        env = {'PATH': bin_dir, 'HOME': work}
        first = subprocess.run([script], capture_output=True, text=True, env=env, cwd=work)
        text = open(settings).read()
        expect('the activation succeeds', first.returncode == 0, first.stdout + first.stderr)
        expect('Windows was asked through the absolute paths', 'cannot find' not in first.stdout, first.stdout)
        nixos_tier2 = subprocess.run([binary, 'guid', 'tier2', NIXOS_ID], capture_output=True,
                                     text=True).stdout.strip()
        debian_tier1 = subprocess.run([binary, 'guid', 'tier1', 'Debian'], capture_output=True,
                                      text=True).stdout.strip()
        expect('the profile was merged', nixos_tier2 in text and 'One Half Dark' in text, text)
        expect('the hidden profile was added', debian_tier1 in text and '"hidden": true' in text, text)
        expect('defaultProfile was set', '"defaultProfile": "%s"' % nixos_tier2 in text, text)
        expect('the comment is kept', '// my settings' in text, text)
        second = subprocess.run([script], capture_output=True, text=True, env=env, cwd=work)
        expect('a second activation succeeds', second.returncode == 0, second.stdout + second.stderr)
        expect('and changes nothing', open(settings).read() == text)

        os.remove(cmd_exe)
        before = open(settings).read()
        third = subprocess.run([script], capture_output=True, text=True, env=env, cwd=work)
        expect('without cmd.exe it warns', third.returncode == 0 and 'cannot find' in third.stdout,
               third.stdout + third.stderr)
        expect('and changes nothing', open(settings).read() == before)
    finish()


if __name__ == '__main__':
    main()

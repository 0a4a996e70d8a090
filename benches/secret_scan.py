#!/usr/bin/env python3
"""Recall and false alarms of `wslconst check-image`'s security scan (a benchmark, not a test).

Builds a small root filesystem in a temporary directory, plants one file per
KIND of secret or personal data (37: PEM/OpenSSH/PGP private keys, keys with
literal \\n inside JSON and YAML strings, vendor tokens, cloud and package
registry credentials, kubeconfig and Docker auth, /etc/shadow hashes, .env,
.pgpass, .my.cnf, Windows user paths, .git-credentials) and one file per TRAP
(14 look-alikes that hold no secret: documented example keys, placeholders,
locked shadow entries, a public key, a UUID, a lock file digest), packs it as
a gzip'd tar (root-owned, modes kept) and runs:

  - `wslconst check-image IMAGE --json`, reading its "security" findings;
  - `detect-secrets scan --all-files` over the same tree, when it is on PATH
    (`pip install detect-secrets`).

A KIND is found when a finding names its path (and, where the file holds
several items or other secret-looking data, when the finding's line is the
item's line). A TRAP is a false alarm when any finding names its path.
Keys are generated at run time with openssl, ssh-keygen and gpg where they
exist, otherwise the script writes well-formed fake vectors of its own
(the report says which); tokens are random strings of the right alphabet and
length from `secrets`. Nothing here is a real credential. Because the values
are random, an entropy-based detector (detect-secrets' Base64HighEntropyString)
may find one item more or fewer from run to run.

  python3 benches/secret_scan.py [--wslconst PATH] [--json] [--keep DIR]

Prints a Markdown table (or JSON with --json) and always exits 0.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import secrets
import shutil
import string
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
import uuid
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALNUM = string.ascii_letters + string.digits
UPPER_DIGITS = string.ascii_uppercase + string.digits
B64 = ALNUM + '+/'
B64URL = ALNUM + '-_'
CRYPT64 = './' + string.digits + string.ascii_uppercase + string.ascii_lowercase
FAKE = 'fallback (fake vector)'


def rand(alphabet, n):
    return ''.join(secrets.choice(alphabet) for _ in range(n))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode()


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, timeout=120, check=True, **kw)


def fake_pem(label, der_len):
    body = textwrap.fill(base64.b64encode(os.urandom(der_len)).decode(), 64)
    return '-----BEGIN %s-----\n%s\n-----END %s-----\n' % (label, body, label)


def attempt(sources, name, tool, make, fallback):
    """make() with `tool` if it is installed, else (or on failure) fallback()."""
    try:
        if shutil.which(tool):
            sources[name] = tool
            return make()
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    sources[name] = FAKE
    return fallback()


def gpg_secret_key(scratch):
    home = os.path.join(scratch, 'gnupg')
    os.mkdir(home, 0o700)
    env = dict(os.environ, GNUPGHOME=home)
    params = ('%no-protection\nKey-Type: eddsa\nKey-Curve: ed25519\nKey-Usage: sign\n'
              'Name-Real: Bench Backup\nName-Email: backup@example.invalid\nExpire-Date: 0\n%commit\n')
    try:
        run(['gpg', '--batch', '--gen-key'], input=params.encode(), env=env)
        out = run(['gpg', '--batch', '--armor', '--emit-version', '--comment', 'backup key',
                   '--export-secret-keys'], env=env).stdout.decode()
    finally:  # the agent that gpg started for this GNUPGHOME
        if shutil.which('gpgconf'):
            subprocess.run(['gpgconf', '--kill', 'gpg-agent'], env=env, capture_output=True, timeout=30)
    if 'BEGIN PGP PRIVATE KEY BLOCK' not in out:
        raise ValueError('gpg exported no secret key')
    return out


def fake_pgp():
    body = textwrap.fill(base64.b64encode(os.urandom(620)).decode(), 64)
    return ('-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\nComment: backup key\n\n'
            '%s\n=%s\n-----END PGP PRIVATE KEY BLOCK-----\n' % (body, rand(B64, 4)))


def ssh_keypair(scratch):
    path = os.path.join(scratch, 'id_ed25519')
    run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'nixos@wsl', '-f', path])
    with open(path) as f, open(path + '.pub') as g:
        return f.read(), g.read()


def fake_ssh_keypair():
    body = textwrap.fill(base64.b64encode(b'openssh-key-v1\0' + os.urandom(380)).decode(), 70)
    blob = b'\0\0\0\x0bssh-ed25519\0\0\0\x20' + os.urandom(32)
    return ('-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n-----END OPENSSH PRIVATE KEY-----\n' % body,
            'ssh-ed25519 %s nixos@wsl\n' % base64.b64encode(blob).decode())


def ec_key():
    pkcs8 = run(['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']).stdout
    return run(['openssl', 'ec'], input=pkcs8).stdout.decode()  # traditional "EC PRIVATE KEY"


def certificate(scratch, key_pem):
    path = os.path.join(scratch, 'cert.key')
    with open(path, 'w') as f:
        f.write(key_pem)
    return run(['openssl', 'req', '-new', '-x509', '-key', path, '-subj', '/CN=system:admin',
                '-days', '365']).stdout.decode()


def shadow_hash(prefix, sources):
    """A crypt(3) hash of a random password (libxcrypt through `crypt`), else a well-formed random one."""
    pw = rand(ALNUM, 16)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            import crypt
        salt = {'$6$': '$6$' + rand(CRYPT64, 16), '$1$': '$1$' + rand(CRYPT64, 8),
                '$y$': '$y$j9T$' + rand(CRYPT64, 21) + rand('./01', 1) + '$',
                '$2b$': crypt.mksalt(crypt.METHOD_BLOWFISH)}[prefix]
        value = crypt.crypt(pw, salt)
        if value and value.startswith(prefix):
            sources['shadow ' + prefix] = 'crypt'
            return value
    except (ImportError, OSError, ValueError, AttributeError):
        pass
    sources['shadow ' + prefix] = FAKE
    return {'$6$': '$6$%s$%s' % (rand(CRYPT64, 16), rand(CRYPT64, 86)),
            '$1$': '$1$%s$%s' % (rand(CRYPT64, 8), rand(CRYPT64, 22)),
            '$y$': '$y$j9T$%s$%s' % (rand(CRYPT64, 21) + rand('./01', 1), rand(CRYPT64, 42) + rand(CRYPT64[:16], 1)),
            '$2b$': '$2b$12$' + rand(CRYPT64, 53)}[prefix]


def jwt(header, payload, signature):
    return '.'.join([b64url(json.dumps(header, separators=(',', ':')).encode()),
                     b64url(json.dumps(payload, separators=(',', ':')).encode()), b64url(signature)])


class Tree:
    def __init__(self):
        self.files = {}
        self.items = []

    def file(self, path, data, mode=0o644):
        self.files[path] = (data, mode)

    def item(self, group, name, path, needle, exact=False):
        text = self.files[path][0]
        line = text[:text.index(needle)].count('\n') + 1
        n = 1 + sum(i['group'] == group for i in self.items)
        self.items.append(dict(id='%s%02d' % (group[0].upper(), n), group=group, name=name, path=path,
                               line=line, exact=exact))

    def write(self, root):
        for path, (data, mode) in self.files.items():
            full = os.path.join(root, path.lstrip('/'))
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, 'wb') as f:
                f.write(data if isinstance(data, bytes) else data.encode())
            os.chmod(full, mode)
        os.symlink('usr/bin', os.path.join(root, 'bin'))
        for d, mode in (('tmp', 0o1777), ('root', 0o700), ('var/log', 0o755), ('home/nixos', 0o755)):
            os.makedirs(os.path.join(root, d), exist_ok=True)
            os.chmod(os.path.join(root, d), mode)


BASE = {
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n'
                   'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nnixos:x:1000:100:NixOS:/home/nixos:'
                   '/bin/bash\nlegacy:x:1001:100::/home/legacy:/bin/sh\nbackup:x:34:34::/var/backups:/bin/false\n',
    '/etc/group': 'root:x:0:\ndaemon:x:1:\nusers:x:100:\nwheel:x:10:nixos\nnogroup:x:65534:\n',
    '/etc/os-release': 'NAME=NixOS\nID=nixos\nVERSION_ID="24.11"\nPRETTY_NAME="NixOS 24.11"\n',
    '/etc/hostname': 'nixos\n', '/etc/hosts': '127.0.0.1 localhost\n::1 localhost\n127.0.1.1 nixos\n',
    '/etc/resolv.conf': 'nameserver 10.255.255.254\n', '/etc/fstab': '# empty: WSL mounts the root filesystem\n',
    '/etc/profile': 'export PATH=/usr/bin:/bin\numask 022\n',
    '/etc/bash.bashrc': '[ -z "$PS1" ] && return\nPS1="\\u@\\h:\\w\\$ "\n',
    '/etc/nsswitch.conf': 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n',
    '/etc/wsl.conf': '[boot]\nsystemd=true\n[user]\ndefault=nixos\n',
    '/etc/ssl/openssl.cnf': '[openssl_init]\nproviders = provider_sect\n',
    '/usr/share/doc/bash/README': 'This is Bash, the GNU Bourne-Again Shell.\n',
    '/home/nixos/.profile': '[ -f ~/.bashrc ] && . ~/.bashrc\n', '/home/nixos/.bash_logout': 'clear\n',
    '/root/.bashrc': 'alias ll="ls -l"\n',
}


def base_system(t):
    elf = b'\x7fELF\x02\x01\x01' + b'\0' * 9 + b'\x02\0\x3e\0\x01\0\0\0' + os.urandom(4000)
    for name in ('ls', 'bash', 'cat', 'env', 'grep', 'sed', 'sh'):
        t.file('/usr/bin/' + name, elf, 0o755)
    t.file('/usr/lib/x86_64-linux-gnu/libc.so.6', elf, 0o755)
    for path, text in BASE.items():
        t.file(path, text)


def plant_all(t, scratch, sources):
    def kind(name, path, text, needle, mode=0o644, exact=False, group='kind'):
        t.file(path, text, mode)
        t.item(group, name, path, needle, exact)
    trap = lambda *a: kind(*a, group='trap')
    ossl = lambda name, make, fallback: attempt(sources, name, 'openssl', make, fallback)
    rsa_cmd = ['openssl', 'genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']
    rsa, rsa2, rsa3 = (ossl('rsa ' + use, lambda: run(rsa_cmd).stdout.decode(),
                            lambda: fake_pem('PRIVATE KEY', 1217)) for use in ('pem', 'json', 'gcp'))
    ec, ec2, ec3 = (ossl('ec ' + use, ec_key, lambda: fake_pem('EC PRIVATE KEY', 121))
                    for use in ('pem', 'yaml', 'kube'))
    cert = ossl('certificate', lambda: certificate(scratch, ec3), lambda: fake_pem('CERTIFICATE', 420))
    ssh_priv, ssh_pub = attempt(sources, 'ssh', 'ssh-keygen', lambda: ssh_keypair(scratch), fake_ssh_keypair)
    pgp = attempt(sources, 'pgp', 'gpg', lambda: gpg_secret_key(scratch), fake_pgp)
    b64cert = base64.b64encode(cert.encode()).decode()

    kind('PEM RSA private key', '/etc/ssl/private/server.key', rsa, '-----BEGIN', 0o600)
    kind('PEM EC private key', '/home/nixos/certs/client-ec.key', ec, '-----BEGIN', 0o600)
    kind('OpenSSH private key', '/home/nixos/.ssh/id_ed25519', ssh_priv, '-----BEGIN', 0o600)
    kind('PGP private key block', '/root/backup/pgp-secret.asc', pgp, '-----BEGIN', 0o600)
    kind('PEM key with \\n in a JSON string', '/home/nixos/app/config/firebase.json', json.dumps(
        {'projectId': 'bench-app', 'clientEmail': 'admin@bench-app.iam.example', 'privateKey': rsa2}, indent=2),
         '"privateKey"')
    kind('PEM key with \\n in a YAML string', '/etc/myapp/signing.yaml',
         'signing:\n  algorithm: ES256\n  private_key: %s\n' % json.dumps(ec2), 'private_key:')
    kind('GitHub token ghp_', '/home/nixos/.config/gh/hosts.yml', 'github.com:\n    oauth_token: ghp_%s\n'
         '    user: jdoe\n    git_protocol: https\n' % rand(ALNUM, 36), 'oauth_token')
    kind('GitHub fine-grained github_pat_', '/home/nixos/scripts/release.sh', '#!/bin/sh\nset -eu\nexport '
         'GITHUB_TOKEN=github_pat_%s_%s\ngh release create "$1"\n' % (rand(ALNUM, 22), rand(ALNUM, 59)), 'GITH', 0o755)
    kind('GitLab glpat-', '/home/nixos/.config/glab-cli/config.yml', 'git_protocol: ssh\nhosts:\n    gitlab.com:\n'
         '        token: glpat-%s\n        api_protocol: https\n' % rand(B64URL, 20), 'token:')
    t.file('/home/nixos/.aws/credentials', '[default]\naws_access_key_id = AKIA%s\naws_secret_access_key = %s\n'
           'region = eu-west-1\n' % (rand(UPPER_DIGITS, 16), rand(B64, 40)), 0o600)
    t.item('kind', 'AWS access key id AKIA', '/home/nixos/.aws/credentials', 'aws_access_key_id')
    t.item('kind', 'AWS secret access key', '/home/nixos/.aws/credentials', 'aws_secret_access_key')
    kind('Slack token xoxb-', '/opt/slackbot/config.py', 'import os\n\nSLACK_BOT_TOKEN = "xoxb-%s-%s-%s"\nCHANNEL = '
         '"#deploys"\n' % (rand(string.digits, 12), rand(string.digits, 13), rand(ALNUM, 24)), 'SLACK_BOT_TOKEN')
    kind('Slack webhook', '/etc/alertmanager/alertmanager.yml', 'route:\n  receiver: slack\nreceivers:\n  - name: '
         'slack\n    slack_configs:\n      - api_url: https://hooks.slack.com/services/T%s/B%s/%s\n        channel: '
         '"#alerts"\n' % (rand(UPPER_DIGITS, 8), rand(UPPER_DIGITS, 10), rand(ALNUM, 24)), 'api_url')
    kind('Stripe sk_live_', '/srv/shop/shop/settings.py', 'DEBUG = False\nSTRIPE_SECRET_KEY = "sk_live_%s"\n'
         'ALLOWED_HOSTS = ["shop.example.com"]\n' % rand(ALNUM, 24), 'STRIPE_SECRET_KEY')
    kind('Stripe rk_live_', '/srv/shop/worker.toml', '[stripe]\nrestricted_key = "rk_live_%s"\n'
         'webhook_path = "/hooks/stripe"\n' % rand(ALNUM, 24), 'restricted_key')
    kind('Google API key AIza', '/var/www/html/js/maps-config.js',
         'export const MAPS = {\n  apiKey: "AIza%s",\n  zoom: 12,\n};\n' % rand(B64URL, 35), 'apiKey')
    kind('GCP service-account JSON', '/opt/app/gcp-sa.json', json.dumps({
        'type': 'service_account', 'project_id': 'bench-project', 'private_key_id': secrets.token_hex(20),
        'private_key': rsa3, 'client_email': 'backup@bench-project.iam.gserviceaccount.com',
        'client_id': rand(string.digits, 21), 'auth_uri': 'https://accounts.google.com/o/oauth2/auth',
        'token_uri': 'https://oauth2.googleapis.com/token'}, indent=2), '"private_key":')
    kind('Azure storage connection string', '/opt/app/appsettings.json', json.dumps({
        'Logging': {'LogLevel': {'Default': 'Information'}}, 'ConnectionStrings': {'Storage': 'DefaultEndpoints'
         'Protocol=https;AccountName=benchstore;AccountKey=%s;EndpointSuffix=core.windows.net'
         % base64.b64encode(os.urandom(64)).decode()}}, indent=2), 'DefaultEndpointsProtocol')
    kind('npm token npm_', '/home/nixos/scripts/publish-npm.sh', '#!/bin/sh\nexport NODE_AUTH_TOKEN=npm_%s\n'
         'npm publish --access public\n' % rand(ALNUM, 36), 'NODE_AUTH_TOKEN', 0o755)
    kind('.npmrc _authToken', '/root/.npmrc', 'registry=https://registry.npmjs.org/\n'
         '//registry.npmjs.org/:_authToken=%s\n' % uuid.uuid4(), '_authToken', 0o600)
    kind('PyPI token pypi-', '/home/nixos/scripts/publish-pypi.sh', '#!/bin/sh\nexport TWINE_USERNAME=__token__\n'
         'export TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmc%s\ntwine upload dist/*\n' % rand(B64URL, 150), 'TWINE_PA', 0o755)
    kind('.pypirc password', '/home/nixos/.pypirc', '[distutils]\nindex-servers =\n    pypi\n\n[pypi]\n'
         'username = jdoe\npassword = %s\n' % rand(ALNUM, 20), 'password', 0o600)
    kind('Docker config.json auth', '/home/nixos/.docker/config.json', json.dumps({'auths': {'registry.example.com': {
        'auth': base64.b64encode(('deploy:' + rand(ALNUM, 20)).encode()).decode()}}}, indent='\t'), '"auth":', 0o600)
    sa_token = jwt({'alg': 'RS256', 'kid': b64url(os.urandom(32))}, {'iss': 'kubernetes/serviceaccount', 'sub':
                   'system:serviceaccount:kube-system:admin'}, os.urandom(256))
    kind('kubeconfig token', '/home/nixos/.kube/config',
         'apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: %s\n'
         '    server: https://10.0.0.1:6443\n  name: prod\ncontexts:\n- context: {cluster: prod, user: admin}\n'
         '  name: prod\ncurrent-context: prod\nusers:\n- name: admin\n  user:\n    token: %s\n'
         % (b64cert, sa_token), 'token:', 0o600, exact=True)
    kind('kubeconfig client-key-data', '/etc/rancher/k3s/k3s.yaml',
         'apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: %s\n'
         '    server: https://127.0.0.1:6443\n  name: default\nkind: Config\nusers:\n- name: default\n'
         '  user:\n    client-certificate-data: %s\n    client-key-data: %s\n'
         % (b64cert, b64cert, base64.b64encode(ec3.encode()).decode()), 'client-key-data', 0o600, exact=True)
    now = int(time.time())
    signed = jwt({'alg': 'HS256', 'typ': 'JWT'}, {'sub': 'backup-agent', 'iat': now}, b'')[:-1]
    signed += '.' + b64url(hmac.new(os.urandom(32), signed.encode(), hashlib.sha256).digest())
    kind('JWT in a config file', '/opt/app/config/backup-agent.ini',
         '[server]\nurl = https://backup.internal\n\n[auth]\nbearer_token = %s\n' % signed, 'bearer_token')
    days = now // 86400
    users = (('root', '$6$', 'SHA-512'), ('daemon', '*', ''), ('nobody', '!', ''), ('nixos', '$y$', 'yescrypt'),
             ('legacy', '$1$', 'MD5'), ('backup', '$2b$', 'bcrypt'))
    t.file('/etc/shadow', ''.join('%s:%s:%d:0:99999:7:::\n' % (user, shadow_hash(h, sources) if what else h, days)
                                  for user, h, what in users), 0o640)
    for user, h, what in users:
        if what:
            t.item('kind', '/etc/shadow %s %s' % (h, what), '/etc/shadow', user + ':')
    kind('.env SECRET_KEY', '/home/nixos/app/.env',
         'DEBUG=False\nSECRET_KEY=%s\nALLOWED_HOSTS=localhost\n' % secrets.token_urlsafe(38), 'SECRET_KEY')
    kind('.env DATABASE_PASSWORD', '/srv/api/.env', 'DATABASE_HOST=db.internal\nDATABASE_USER=api\n'
         'DATABASE_PASSWORD=%s\n' % rand(ALNUM, 24), 'DATABASE_PASSWORD')
    kind('~/.pgpass', '/home/nixos/.pgpass', 'db.internal:5432:appdb:app:%s\n' % rand(ALNUM, 20), 'db.', 0o600)
    kind('~/.my.cnf password', '/root/.my.cnf', '[client]\nuser=root\npassword=%s\n' % rand(ALNUM, 20), 'pass', 0o600)
    kind('Windows user path C:\\Users\\jdoe', '/home/nixos/.config/exporter/settings.ini',
         '[paths]\nexport_dir = C:\\Users\\jdoe\\Documents\\exports\nformat = csv\n', 'export_dir')
    kind('/mnt/c/Users/jdoe in a shell rc', '/home/nixos/.bashrc', 'HISTCONTROL=ignoreboth\nalias ll="ls -alF"\n'
         'alias code="/mnt/c/Users/jdoe/AppData/Local/Programs/Microsoft VS Code/bin/code"\n', 'alias code')
    kind('~/.git-credentials', '/home/nixos/.git-credentials',
         'https://jdoe:gho_%s@github.com\n' % rand(ALNUM, 36), 'https://', 0o600)

    trap('AWS documented example keys', '/usr/share/doc/awscli/examples/configure/_description.rst',
         'Example::\n\n    $ aws configure\n    AWS Access Key ID [None]: AKIAIOSFODNN7EXAMPLE\n'
         '    AWS Secret Access Key [None]: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n', 'AKIA')
    trap('PEM header without a key body', '/usr/share/doc/openssl/HOWTO/keys.txt',
         'The private key is written in PEM format; it starts with the line\n\n    -----BEGIN RSA PRIVATE KEY-----'
         '\n\nfollowed by the base64 encoding of the DER structure,\nand ends with the matching END line.\n', '-----')
    trap('token: xxxx placeholder', '/opt/app/config.example.yml',
         'server:\n  url: https://ci.example.com\n  token: %s\n' % ('x' * 28), 'token:')
    trap("ghp_ + 36 'x'", '/home/nixos/projects/ci/README.md',
         '# CI\n\nSet a token first:\n\n    export GITHUB_TOKEN=ghp_%s\n' % ('x' * 36), 'GITHUB_TOKEN')
    trap('SECRET_KEY=your-token-here', '/home/nixos/app/.env.example',
         'DEBUG=True\nSECRET_KEY=your-token-here\n', 'SECRET_KEY')
    trap('password=<REDACTED>', '/home/nixos/support/config-dump.txt',
         '[database]\nhost=db.internal\nuser=app\npassword=<REDACTED>\n', 'password')
    trap('api_key: ...', '/etc/datadog-agent/datadog.yaml.example',
         '## @param api_key - string - required\napi_key: ...\nsite: datadoghq.com\n', 'api_key:')
    trap("aws_secret_access_key = 'A'*40", '/etc/skel/.aws/credentials',
         '[default]\nregion = eu-west-1\naws_secret_access_key = %s\n' % ('A' * 40), 'aws_secret')
    trap("AIza + 35 'X'", '/var/www/html/index.html', '<script src="https://maps.googleapis.com/maps/api/js?key='
         'AIza%s&callback=initMap"></script>\n' % ('X' * 35), 'AIza')
    trap('/etc/shadow with only locked accounts', '/var/lib/machines/debian/etc/shadow',
         'root:!:%d:0:99999:7:::\nnixos:*:%d:0:99999:7:::\ndaemon:!*:%d:0:99999:7:::\n' % ((days,) * 3), 'ro', 0o640)
    trap('empty PASSWORD=', '/home/nixos/worker/.env', 'LOG_LEVEL=info\nPASSWORD=\nPORT=8080\n', 'PASSWORD')
    trap('public key in authorized_keys', '/home/nixos/.ssh/authorized_keys', ssh_pub, 'ssh-', 0o600)
    trap('UUID in a config file', '/etc/myapp/instance.toml',
         '[instance]\nid = "%s"\nregion = "eu-west-1"\n' % uuid.uuid4(), 'id =')
    trap('sha256 digest in a lock file', '/home/nixos/project/Cargo.lock', 'version = 3\n\n[[package]]\nname = '
         '"serde"\nversion = "1.0.210"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n'
         'checksum = "%s"\n' % hashlib.sha256(os.urandom(32)).hexdigest(), 'checksum')


def pack(root, image):
    def owner(ti):
        ti.uid = ti.gid = 0
        ti.uname = ti.gname = 'root'
        return ti
    with tarfile.open(image, 'w:gz') as tar:
        tar.add(root, arcname='.', filter=owner)


def norm(path):
    path = path[2:] if path.startswith('./') else path
    return '/' + path.lstrip('/')


def timed(cmd, parse, cwd=None):
    """(hits as (path, line, rule), seconds, error) of one scanner run."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=600)
        return parse(json.loads(proc.stdout)), time.perf_counter() - start, None
    except (OSError, subprocess.SubprocessError, ValueError, KeyError, TypeError) as e:
        return None, time.perf_counter() - start, '%s: %s' % (type(e).__name__, e)


def wslconst_hits(report):
    return [(norm(f['path']), f.get('line'), f['rule']) for f in report['security']]


def detect_secrets_hits(report):
    return [(norm(path), s.get('line_number'), s.get('type'))
            for path, found in report['results'].items() for s in found]


def score(items, hits, multi):
    """For each item, the sorted rule names of the findings that count for it (None: tool not run)."""
    if hits is None:
        return [None] * len(items)
    strict = lambda it: it['group'] == 'kind' and (it['exact'] or it['path'] in multi)
    return [sorted({rule for path, line, rule in hits
                    if path == it['path'] and (line == it['line'] or not strict(it))}) for it in items]


def cell(group, rules):
    hit, miss = ('found (%s)', 'missed') if group == 'kind' else ('FALSE ALARM (%s)', 'quiet')
    return 'n/a' if rules is None else hit % ', '.join(rules) if rules else miss


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    default = os.path.join(ROOT, 'target', 'release', 'wslconst')
    if not os.path.exists(default):
        default = os.path.join(ROOT, 'target', 'debug', 'wslconst')
    ap.add_argument('--wslconst', default=default, help='the binary (default: %(default)s)')
    ap.add_argument('--json', action='store_true', help='print JSON instead of Markdown')
    ap.add_argument('--keep', metavar='DIR', help='build the tree and image in DIR and keep them')
    args = ap.parse_args()

    scratch = tempfile.mkdtemp(prefix='secret-scan-')
    try:
        work = os.path.abspath(args.keep) if args.keep else scratch
        root, image = os.path.join(work, 'rootfs'), os.path.join(work, 'secret-scan.wsl')
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        sources, tree = {}, Tree()
        base_system(tree)
        plant_all(tree, scratch, sources)
        tree.write(root)
        pack(root, image)
        items = tree.items
        assert [i['group'] for i in items] == ['kind'] * 37 + ['trap'] * 14
        paths = [i['path'] for i in items]
        multi = {p for p in paths if paths.count(p) > 1}
        runs = {'wslconst': timed([args.wslconst, 'check-image', image, '--json'], wslconst_hits),
                'detect-secrets': (timed(['detect-secrets', 'scan', '--all-files'], detect_secrets_hits, root)
                                   if shutil.which('detect-secrets') else (None, None, 'not installed'))}
        result = dict(items=items, totals={}, seconds={}, errors={}, wslconst_binary=args.wslconst,
                      vectors=sources, kept=dict(tree=root, image=image) if args.keep else None)
        for tool, (hits, secs, err) in runs.items():
            for item, rules in zip(items, score(items, hits, multi)):
                item[tool] = rules
            result['seconds'][tool], result['errors'][tool] = secs, err
            result['totals'][tool] = None if hits is None else dict(
                found=sum(bool(i[tool]) for i in items if i['group'] == 'kind'), of_kinds=37,
                false_alarms=sum(bool(i[tool]) for i in items if i['group'] == 'trap'), of_traps=14)
        if args.json:
            print(json.dumps(result, indent=2))
            return
        print('| item | path | wslconst | detect-secrets |\n| --- | --- | --- | --- |')
        for i in items:
            print('| %s %s | `%s:%d` | %s | %s |' % (i['id'], i['name'].replace('|', '\\|'), i['path'], i['line'],
                                                   cell(i['group'], i['wslconst']),
                                                   cell(i['group'], i['detect-secrets'])))
        summary = []
        for tool, tot in result['totals'].items():
            summary.append('%s: not run (%s)' % (tool, result['errors'][tool]) if tot is None else
                           '%s found %d of 37, false alarms %d of 14' % (tool, tot['found'], tot['false_alarms']))
        print('\n' + '; '.join(summary))
        print('seconds: ' + ', '.join('%s %.2f' % (t, v) for t, v in result['seconds'].items() if v is not None))
        print('binary: %s; vectors: %s' % (args.wslconst, ', '.join('%s=%s' % kv for kv in sources.items())))
        if args.keep:
            print('kept: %s and %s' % (root, image))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == '__main__':
    try:
        main()
    except Exception as e:  # a benchmark reports, it does not fail the caller
        print('secret_scan: %s: %s' % (type(e).__name__, e), file=sys.stderr)
    sys.exit(0)

"""The pass/fail bookkeeping the scripts/nix-*.py checks share: `expect`
records one check, `finish` prints the failures and the closing line
`N passed, N failed`, and exits 1 on any failure."""

import sys

FAILURES = []
CHECKED = []


def expect(what, ok, detail=''):
    CHECKED.append(what)
    if not ok:
        FAILURES.append('%s %s' % (what, detail))


def finish():
    for failure in FAILURES:
        print('FAIL', failure)
    print('%d passed, %d failed' % (len(CHECKED) - len(FAILURES), len(FAILURES)))
    sys.exit(1 if FAILURES else 0)

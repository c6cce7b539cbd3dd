#!/usr/bin/env bash
# Every message of the C sources exists in po/fr.po and po/en.po, translated, and both catalogs
# compile cleanly. (Template messages are checked by tests/unit/test_units.) TAP output.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
check() { # check DESCRIPTION CMD…
	n=$((n + 1))
	if out=$("${@:2}" 2>&1); then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		printf '%s\n' "$out" | head -20 | sed 's/^/# /'
		fail=1
	fi
}
(cd "$root" && xgettext --from-code=UTF-8 --keyword=N_ --keyword=tr:2 --keyword=form_error:3 \
	--keyword=signin_render:4 -o "$tmp/c.pot" src/*/*.c)
for lang in fr en; do
	check "po/$lang.po compiles (msgfmt --check)" msgfmt --check -o /dev/null "$root/po/$lang.po"
	check "every C message is in po/$lang.po" msgcmp "$root/po/$lang.po" "$tmp/c.pot"
	check "po/$lang.po has no fuzzy or untranslated entry" \
		bash -c "! msgattrib --only-fuzzy '$root/po/$lang.po' | grep -q msgid && ! msgattrib --untranslated --no-obsolete '$root/po/$lang.po' | grep -q msgid"
done
echo "1..$n"
exit $fail

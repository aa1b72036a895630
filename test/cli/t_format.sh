#!/usr/bin/env bash
# The tree stays formatted by its .clang-format (scripts/format.sh --check):
# one TAP line; the files that are not, with how many lines would change.
set -u
cd "$(dirname "$0")/../.." || exit 1
out=$(bash scripts/format.sh --check 2>&1)
rc=$?
case $rc in
0) echo "ok - every C file is as .clang-format writes it" ;;
1)
	echo "not ok - files not formatted (run make format):"
	echo "$out" | sed 's/^/#   /'
	;;
*)
	# No clang-format: scripts/deps.sh installs it; say why, as a skip.
	echo "ok - format # SKIP $(echo "$out" | head -n 1)"
	;;
esac
exit 0

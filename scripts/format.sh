#!/usr/bin/env bash
# Format mcast's C code with clang-format and the repository's .clang-format.
# Usage: scripts/format.sh [--check] [FILE...]
#   (no option)  reformat every C file of the tree (or the FILEs) in place
#   --check      change nothing; list the files that are not formatted, with
#                how many of their lines would change, and exit 1 (0 when
#                all are formatted)
# The files are the tracked and new (not ignored) *.c and *.h of the git work
# tree, or every *.c and *.h outside build*/ when there is no git.
# clang-format is $CLANG_FORMAT, else clang-format-14, else clang-format;
# .clang-format was tuned for version 14 and other versions format
# differently.  Exit status: 0 done (or formatted), 1 not formatted (--check),
# 2 usage error or no clang-format.
set -u

nfiles() {
	[ "$1" = 1 ] && echo "1 file" || echo "$1 files"
}

usage() {
	echo "usage: scripts/format.sh [--check] [FILE...]" >&2
	exit 2
}

check=0
case "${1:-}" in
--check)
	check=1
	shift
	;;
-h | --help)
	sed -n '2,/^set -u/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	exit 0
	;;
-*)
	usage
	;;
esac

# FILEs are named from where we were started; the rest runs at the top of
# the tree, where .clang-format is.
files=()
for f in "$@"; do
	[ -f "$f" ] || { echo "format: $f: no such file" >&2; exit 2; }
	files+=("$(realpath -- "$f")")
done
cd "$(dirname "$0")/.." || exit 2
if [ ! -f .clang-format ]; then
	echo "format: no .clang-format in $(pwd)" >&2
	exit 2
fi

cf=""
for c in ${CLANG_FORMAT:-} clang-format-14 clang-format; do
	if command -v "$c" >/dev/null 2>&1; then
		cf=$c
		break
	fi
done
if [ -z "$cf" ]; then
	echo "format: clang-format not found (looked for ${CLANG_FORMAT:+$CLANG_FORMAT, }clang-format-14 and clang-format in PATH): install the Debian package clang-format (scripts/deps.sh does) or set CLANG_FORMAT" >&2
	exit 2
fi
version=$("$cf" --version 2>/dev/null | sed -n 's/.*version \([0-9][0-9]*\)\..*/\1/p' | head -1)
if [ "$version" != 14 ]; then
	echo "format: $cf is version ${version:-unknown}; .clang-format was tuned for 14, so the result may differ from what the tree expects" >&2
fi

if [ ${#files[@]} -gt 0 ]; then
	:
elif git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# (a file deleted but not yet committed is still listed: skip it)
	mapfile -t files < <(git ls-files --cached --others --exclude-standard \
	    -- '*.c' '*.h' | sort -u | while IFS= read -r f; do
		[ -f "$f" ] && printf '%s\n' "$f"
	    done)
else
	mapfile -t files < <(find . \( -path './build*' -o -path ./.git \) -prune \
	    -o -type f \( -name '*.c' -o -name '*.h' \) -print | sed 's|^\./||' |
	    sort)
fi
if [ ${#files[@]} -eq 0 ]; then
	echo "format: no C files found" >&2
	exit 2
fi

if [ $check = 0 ]; then
	# In place, a few files per clang-format run.
	printf '%s\0' "${files[@]}" | xargs -0 -n 16 "$cf" -i --style=file ||
	    { echo "format: $cf failed" >&2; exit 2; }
	echo "format: $(nfiles ${#files[@]}) formatted with $cf"
	exit 0
fi

tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT
# The files formatting would change, from one clang-format run per 64 files
# (--dry-run names each change "FILE:LINE:COL: warning: code should be
# clang-formatted"); only those are formatted one by one below.  When that
# run fails, every file is.
todo=("${files[@]}")
if printf '%s\0' "${files[@]}" | xargs -0 -n 64 "$cf" --style=file --dry-run 2>"$tmp"; then
	mapfile -t todo < <(sed -n 's/^\(.*\):[0-9]*:[0-9]*: [a-z]*: code should be clang-formatted.*/\1/p' "$tmp" | sort -u)
fi
bad=0
lines=0
for f in "${todo[@]}"; do
	if ! "$cf" --style=file "$f" >"$tmp"; then
		echo "format: $cf failed on $f" >&2
		exit 2
	fi
	cmp -s "$f" "$tmp" && continue
	# Lines of the file that formatting replaces, and lines it writes.
	read -r old new < <(diff "$f" "$tmp" |
	    awk '/^</ { o++ } /^>/ { n++ } END { print o + 0, n + 0 }')
	echo "$f: $old lines differ ($new after formatting)"
	bad=$((bad + 1))
	lines=$((lines + old))
done
if [ $bad -gt 0 ]; then
	echo "format: $bad of $(nfiles ${#files[@]}) not formatted ($lines lines differ); bash scripts/format.sh formats them" >&2
	exit 1
fi
echo "format: all $(nfiles ${#files[@]}) formatted"
exit 0

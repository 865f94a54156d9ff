#!/bin/sh
# benchpair.sh compares two evalpress binaries on one content folder: it
# builds with each in turn, alternating which goes first, N pairs, and
# prints each run and the medians of B's wall time, CPU time (user + sys)
# and peak memory relative to A's. The output goes to memory-backed
# storage (/dev/shm), since on a throttled disk the same binary's builds
# vary by a factor of two; adjacent, alternating pairs cancel the drift of
# a shared machine. Needs GNU time (/usr/bin/time) and python3.
#
#   tools/benchpair.sh 4 .bench/content /tmp/evalpress-old bin/evalpress
set -eu
if [ $# -ne 4 ]; then
	echo "usage: $0 PAIRS CONTENT BINARY_A BINARY_B" >&2
	exit 2
fi
n=$1 content=$2 a=$3 b=$4
out=/dev/shm/evalpress-benchpair-$$
# An incremental build keeps its cache beside the output; each run must be
# a full build, so the cache goes too.
cache=/dev/shm/.evalpress-benchpair-$$.evalpress-cache
trap 'rm -rf "$out" "$out".err "$cache"' EXIT
run() {
	rm -rf "$out" "$cache"
	/usr/bin/time -f "%e %U %S %M" "$1" build -content "$content" -out "$out" >/dev/null 2>"$out.err"
	tail -n 1 "$out.err"
}
i=1
while [ "$i" -le "$n" ]; do
	if [ $((i % 2)) -eq 1 ]; then ra=$(run "$a"); rb=$(run "$b"); else rb=$(run "$b"); ra=$(run "$a"); fi
	echo "$ra | $rb"
	i=$((i + 1))
done | python3 -c '
import statistics, sys
w, c, r = [], [], []
for line in sys.stdin:
    a, b = ([float(x) for x in side.split()] for side in line.split("|"))
    print("A wall %6.2f s cpu %6.2f s rss %4d MiB | B wall %6.2f s cpu %6.2f s rss %4d MiB"
          % (a[0], a[1] + a[2], a[3] / 1024, b[0], b[1] + b[2], b[3] / 1024))
    w.append(b[0] / a[0]); c.append((b[1] + b[2]) / (a[1] + a[2])); r.append(b[3] / a[3])
pct = lambda xs: (statistics.median(xs) - 1) * 100
print("median B/A: wall %+.1f %%, cpu %+.1f %%, peak rss %+.1f %%" % (pct(w), pct(c), pct(r)))
'

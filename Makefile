# evalpress — the two promises of the README:
#   make site   builds the default content into public/
#   make test   runs every test, browser tests included
.POSIX:
.PHONY: site build test check serve bench bench-large vet jsfmt fuzz dist clean

GO ?= go
BIN := bin/evalpress

# ECharts is built from the pinned, integrity-checked npm package into the
# embedded assets/ before the binary, never committed (see tools/echarts).
ECHARTS := assets/vendor/echarts/echarts.min.js

site: $(BIN)
	./$(BIN) build -content content -out public

build: $(BIN)

# The binary is rebuilt every time: go's own cache makes that cheap, and
# make cannot see every Go file it depends on.
$(BIN): FORCE $(ECHARTS)
	$(GO) build -o $(BIN) ./cmd/evalpress
FORCE:

$(ECHARTS): node_modules/.package-lock.json tools/echarts/entry.js tools/echarts/build.mjs
	node tools/echarts/build.mjs $@

check: $(BIN)
	./$(BIN) check -content content

# Preview with live reload on http://127.0.0.1:8080/ (Ctrl-C stops it).
serve: $(BIN)
	./$(BIN) serve -content content

# Browser and validator tests need chromium (Debian package) and the npm
# test tools; .ci/run installs both on a fresh machine. -count=1: some tests
# run node or chromium on files the go test cache does not see change. The
# charts copy a prototype go-echarts chart (internal/chart newBar): the race
# detector proves that concurrent charts share nothing they write. The
# whole-site tests of internal/pipeline take 3 to 9 minutes on a loaded
# 2-core machine, near go test's default 10-minute limit per package.
test: node_modules/.package-lock.json $(ECHARTS) vet jsfmt
	$(GO) test -count=1 -timeout 30m ./...
	$(GO) test -count=1 -race -run 'NewBar' ./internal/chart/

# vet for this machine and for Windows, where the web staff work, and a
# Windows build of every package (vet alone does not link).
vet:
	$(GO) vet ./...
	GOOS=windows $(GO) vet ./...
	GOOS=windows $(GO) build ./...

# The JavaScript (assets/js, tools; .prettierignore says which) formatted
# as the pinned Prettier formats it, with .prettierrc.json. To fix what it
# reports: node_modules/.bin/prettier --write .
jsfmt: node_modules/.package-lock.json
	node_modules/.bin/prettier --check .

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

bench: $(ECHARTS)
	$(GO) run ./cmd/evalbench -n 10000 -seed 1 -dir .bench

# 100,000 generated evaluations, built once, and the 10,000 of make bench
# built once just before and twice after on the same machine: peak memory
# ≤ 1.5 GiB and wall time ≤ 10× the median 10,000's (linear), then the
# rebuilds after one edited record and the first build after an upgrade.
# It takes about 10 minutes on 2 quiet cores (the 100,000 build took
# 135-171 s in December 2026), plus a few minutes
# the first time to generate the 0.9 GB corpus into .bench-large; the
# outputs (about 4.4 GB) are written on disk and removed.
bench-large: $(ECHARTS)
	$(GO) run ./cmd/evalbench -n 100000 -seed 1 -dir .bench-large -runs 1 -compare 10000 -compare-dir .bench

# Every fuzz target, 30 s each (go test -fuzz takes one target a run).
FUZZ = ./internal/content:FuzzLoadRecord ./internal/content:FuzzScanKeys \
	./internal/content:FuzzPlainAgrees ./internal/narrative:FuzzRender \
	./internal/privacy:FuzzScan ./internal/search:FuzzNormalize \
	./internal/decimal:FuzzParseAmount ./internal/linkcheck:FuzzScanTags \
	./internal/attach:FuzzCheckSVG
fuzz:
	for t in $(FUZZ); do \
		$(GO) test "$${t%%:*}" -run '^$$' -fuzz "^$${t#*:}$$" -fuzztime 30s || exit 1; \
	done

# The release archives into dist/: a .tar.gz for linux/amd64, linux/arm64,
# linux/loong64 and darwin/arm64, a .zip for windows/amd64, and
# SHA256SUMS. Each holds the binary with ECharts embedded (hence the
# bundle first: cmd/evaldist refuses to build without it), the guide, the
# example content and every licence. The same commit gives the same
# bytes. The version is git describe's; EVALPRESS_VERSION=v1.2.0 make dist
# sets another. It writes only into dist/, and only files it names.
dist: $(ECHARTS)
	$(GO) run ./cmd/evaldist -go "$(GO)"

clean:
	rm -rf bin public .public.evalpress-cache .public.spare .bench .bench-large dist

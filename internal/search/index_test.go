package search

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want string // tokens joined by "|"
	}{
		// Chinese: every character, then every pair.
		{"补贴", "补|补贴|贴"},
		{"生活补贴", "生|生活|活|活补|补|补贴|贴"},
		{"贴", "贴"},
		// Latin and digits the same way, after folding.
		{"ＰＰＰ", "p|pp|p|pp|p"},
		{"2023年", "2|20|0|02|2|23|3|3年|年"},
		// Nothing spans a space.
		{"资金 使用", "资|资金|金|使|使用|用"},
		{"a b", "a|b"},
		// Mixed scripts pair across the change.
		{"PPP项目", "p|pp|p|pp|p|p项|项|项目|目"},
		{"", ""},
		{"  ", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(Tokens(tt.in), "|"); got != tt.want {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// memFS collects written files; it is safe for concurrent use.
type memFS struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memFS) Write(name string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string][]byte{}
	}
	if _, dup := m.files[name]; dup {
		return fmt.Errorf("%s written twice", name)
	}
	m.files[name] = slices.Clone(data)
	return nil
}

var small = []Doc{
	{URL: "2023/disability-subsidies/", Title: "残疾人“两项补贴”项目", Department: "潜江市民政局", Evaluator: "潜江市财政局",
		Year: "2023", Grade: "优", Kind: "project", Score: "93.5", Indicators: []string{"项目决策", "补贴对象符合率"},
		Text: "困难残疾人生活补贴和重度残疾人护理补贴。补贴资金按时足额发放。"},
	{URL: "2023/digital-city-management/", Title: "数字化城管运行经费", Department: "潜江市城市管理执法委员会",
		Year: "2023", Grade: "良", Kind: "project", Score: "85", Indicators: []string{"项目管理"},
		Text: "ＰＰＰ模式；资金12345万元。平台运行稳定。"},
	{URL: "2022/ppp/", Title: "PPP项目补贴", Department: "潜江市财政局", Year: "2022", Grade: "中", Kind: "policy", Score: "",
		Text: "PPP 项目 2022 年度 生活 补贴"},
}

func buildSmall(t *testing.T) (*Index, *memFS) {
	t.Helper()
	b := NewBuilder()
	for _, d := range small {
		b.Add(d)
	}
	ix := b.Index()
	var fs memFS
	if err := ix.Write(&fs); err != nil {
		t.Fatal(err)
	}
	return ix, &fs
}

func TestReferenceSearch(t *testing.T) {
	t.Parallel()
	ix, _ := buildSmall(t)
	urls := func(ids []int) string {
		var s []string
		for _, id := range ids {
			s = append(s, ix.Doc(id).URL)
		}
		return strings.Join(s, " ")
	}
	tests := []struct {
		q       string
		filters map[string]string
		want    string
	}{
		{"补贴", nil, "2022/ppp/ 2023/disability-subsidies/"},
		{"贴", nil, "2022/ppp/ 2023/disability-subsidies/"},
		{"生活补贴", nil, "2023/disability-subsidies/"}, // 2022/ppp/ has 生活 补贴 apart
		{"ppp", nil, "2022/ppp/ 2023/digital-city-management/"},
		{"ＰＰＰ", nil, "2022/ppp/ 2023/digital-city-management/"},
		{"123", nil, "2023/digital-city-management/"},
		{"12345", nil, "2023/digital-city-management/"},
		{"2022", nil, "2022/ppp/"},
		{"补贴 资金", nil, "2023/disability-subsidies/"},
		{"补贴", map[string]string{"year": "2022"}, "2022/ppp/"},
		{"补贴", map[string]string{"grade": "良"}, ""},
		{"民政局", nil, "2023/disability-subsidies/"},
		{"符合率", nil, "2023/disability-subsidies/"},
		{"局潜", nil, ""}, // department and evaluator do not run together
		{"不存在", nil, ""},
		{"", map[string]string{"kind": "policy"}, "2022/ppp/"},
	}
	for _, tt := range tests {
		if got := urls(ix.Search(tt.q, tt.filters)); got != tt.want {
			t.Errorf("Search(%q, %v) = %q, want %q", tt.q, tt.filters, got, tt.want)
		}
	}
}

// decoded is one term's postings as read back from the files.
type decoded struct {
	docs  []int
	info  []int // tf<<1 | in title
	pos   [][]int
	found bool
	// ctx holds a bigram's contexts (see context.go): per document
	// and position, the contextChars characters before it (nearest
	// first) and after it, ' ' for none. Nil for the other terms.
	ctx [][]string
	// blocks are the files of a heavy bigram's position blocks; posBytes
	// the bytes of a bigram's positions (as the term type holds them).
	blocks   []string
	posBytes int
}

func readUvarint(b []byte, p *int) int {
	v, n := binary.Uvarint(b[*p:])
	*p += n
	return int(v)
}

// readSection reads the positions section sec (see Write) of at most n
// documents into d.pos, checking its documents against d's list, and
// returns where the section ends: before the contexts, if any.
func readSection(t *testing.T, s string, d *decoded, sec []byte, n int) int {
	t.Helper()
	p, last := 0, -1
	for k := 0; k < n && p < len(sec); k++ {
		id := last + 1 + readUvarint(sec, &p)
		tf := readUvarint(sec, &p)
		i := len(d.pos)
		if i >= len(d.docs) || d.docs[i] != id || d.info[i]>>1 != tf {
			t.Fatalf("term %q: positions of document %d (tf %d) do not follow its list", s, id, tf)
		}
		var ps []int
		at, start := 0, p
		for k := range tf {
			if k == 0 {
				at = readUvarint(sec, &p)
			} else {
				at += readUvarint(sec, &p)
			}
			ps = append(ps, at)
		}
		d.pos = append(d.pos, ps)
		d.posBytes += p - start
		last = id
		if len(d.pos) == len(d.docs) {
			break
		}
	}
	return p
}

// lookup reads term s from the written files, as search.js does: a
// unigram, a bigram or a phrase (following its alias).
func lookup(t *testing.T, files map[string][]byte, s string) decoded {
	t.Helper()
	var m Meta
	if err := json.Unmarshal(files["search/meta.json"], &m); err != nil {
		t.Fatal(err)
	}
	r := []rune(s)
	var shard uint32
	switch len(r) {
	case 1:
		shard = termHash(unigramKey(r[0]))
	case 2:
		shard = termHash(bigramKey(r[0], r[1]))
	default:
		shard = phraseHash(r)
	}
	shard &= uint32(m.Shards - 1)
	tb := files[fmt.Sprintf("search/t/%d.bin", shard)]
	lb := files[fmt.Sprintf("search/l/%d.bin", shard)]
	pb := files[fmt.Sprintf("search/p/%d.bin", shard)]
	p := 0
	n := readUvarint(tb, &p)
	if got := readUvarint(tb, &p); got != len(lb) {
		t.Fatalf("shard %d: l/ is %d bytes, its directory says %d", shard, len(lb), got)
	}
	if got := readUvarint(tb, &p); got != len(pb) {
		t.Fatalf("shard %d: p/ is %d bytes, its directory says %d", shard, len(pb), got)
	}
	runes := func() string {
		var out []rune
		for k := readUvarint(tb, &p); k > 0; k-- {
			out = append(out, rune(readUvarint(tb, &p)))
		}
		return string(out)
	}
	type blk struct{ first, n int }
	type ent struct {
		key, alias string
		df, dl, pl int
		long, ctx  bool
		blocks     []blk
	}
	ents := make([]ent, n)
	for i := range ents {
		e := ent{key: runes()}
		e.df = readUvarint(tb, &p)
		dl := readUvarint(tb, &p)
		e.dl, e.long = dl>>1, dl&1 == 1
		switch len([]rune(e.key)) {
		case 1:
		case 2:
			if k := readUvarint(tb, &p); k == 0 {
				e.pl = readUvarint(tb, &p)
			} else {
				e.ctx = k&1 == 1
				first := 0
				for range k >> 1 {
					first += readUvarint(tb, &p)
					e.blocks = append(e.blocks, blk{first, readUvarint(tb, &p)})
				}
			}
		default:
			e.alias = runes()
		}
		ents[i] = e
	}
	docOff, longOff, posOff, block := p, 0, 0, 0
	for _, e := range ents {
		if e.key != s {
			if e.long {
				longOff += e.dl
			} else {
				docOff += e.dl
			}
			posOff += e.pl
			block += len(e.blocks)
			continue
		}
		if e.alias != "" {
			if e.dl != 0 {
				t.Fatalf("alias %q has a list", s)
			}
			d := lookup(t, files, e.alias)
			if len(d.docs) != e.df {
				t.Fatalf("alias %q: df %d, its phrase %q's list %d", s, e.df, e.alias, len(d.docs))
			}
			return d
		}
		var d decoded
		d.found = true
		var list []byte
		if e.long {
			list = lb[longOff : longOff+e.dl]
		} else {
			list = tb[docOff : docOff+e.dl]
		}
		if e.long != (e.dl > inlineDocs) {
			t.Fatalf("term %q: list of %d bytes, long %v", s, e.dl, e.long)
		}
		q, last := 0, -1
		for range e.df {
			last += readUvarint(list, &q) + 1
			d.docs = append(d.docs, last)
			d.info = append(d.info, readUvarint(list, &q))
		}
		if q != len(list) {
			t.Fatalf("term %q: list length does not match the directory", s)
		}
		if len(r) != 2 {
			return d
		}
		// readContexts reads the contexts c of the positions of d from
		// document from on.
		readContexts := func(c []byte, from int) {
			cp := 0
			table := make([]rune, readUvarint(c, &cp))
			prev := 0
			for i := range table {
				prev += readUvarint(c, &cp)
				table[i] = rune(prev)
			}
			char := func() string {
				if i := readUvarint(c, &cp); i > 0 {
					return string(table[i-1])
				}
				return " "
			}
			for _, ps := range d.pos[from:] {
				var cs []string
				for range ps {
					c := ""
					for range 2 * contextChars {
						c += char()
					}
					cs = append(cs, c)
				}
				d.ctx = append(d.ctx, cs)
			}
			if cp != len(c) {
				t.Fatalf("term %q: contexts of %d bytes, %d read", s, len(c), cp)
			}
		}
		if e.pl > 0 {
			sec := pb[posOff : posOff+e.pl]
			end := readSection(t, s, &d, sec, e.df)
			readContexts(sec[end:], 0)
			return d
		}
		for j, bl := range e.blocks {
			name := fmt.Sprintf("p/%d-%d.bin", shard, block+j)
			d.blocks = append(d.blocks, name)
			data := files["search/"+name]
			if len(data) != bl.n {
				t.Fatalf("term %q: block %d is %d bytes, its directory says %d", s, j, len(data), bl.n)
			}
			if d.docs[len(d.pos)] != bl.first {
				t.Fatalf("term %q: block %d starts at %d, its directory says %d", s, j, d.docs[len(d.pos)], bl.first)
			}
			from, q, n := len(d.pos), 0, e.df
			if e.ctx {
				n = readUvarint(data, &q)
			}
			end := q + readSection(t, s, &d, data[q:], n)
			if e.ctx {
				readContexts(data[end:], from)
			} else if end != len(data) {
				t.Fatalf("term %q: block %d has %d bytes past its documents", s, j, len(data)-end)
			}
		}
		if len(d.pos) != len(d.docs) {
			t.Fatalf("term %q: positions of %d documents, %d in the list", s, len(d.pos), len(d.docs))
		}
		return d
	}
	return decoded{}
}

// phrasesOf returns the phrases of the written files, from every shard's
// directory.
func phrasesOf(t *testing.T, files map[string][]byte) []string {
	t.Helper()
	var out []string
	for name, tb := range files {
		if !strings.HasPrefix(name, "search/t/") {
			continue
		}
		p := 0
		runes := func() string {
			var rs []rune
			for k := readUvarint(tb, &p); k > 0; k-- {
				rs = append(rs, rune(readUvarint(tb, &p)))
			}
			return string(rs)
		}
		n := readUvarint(tb, &p)
		readUvarint(tb, &p)
		readUvarint(tb, &p)
		for ; n > 0; n-- {
			key := runes()
			readUvarint(tb, &p)
			readUvarint(tb, &p)
			switch len([]rune(key)) {
			case 1:
			case 2:
				if k := readUvarint(tb, &p); k == 0 {
					readUvarint(tb, &p)
				} else {
					for range k &^ 1 {
						readUvarint(tb, &p)
					}
				}
			default:
				runes()
				out = append(out, key)
			}
		}
	}
	slices.Sort(out)
	return out
}

// expected computes a term's postings from the normalised texts directly.
func expected(ix *Index, s string) decoded {
	ix.textsOnce.Do(ix.normaliseAll)
	var d decoded
	for id, text := range ix.texts {
		r := []rune(text)
		var ps []int
		for i := range r {
			if strings.HasPrefix(string(r[i:min(i+len([]rune(s)), len(r))]), s) && string(r[i:i+len([]rune(s))]) == s {
				ps = append(ps, i)
			}
		}
		if len(ps) == 0 {
			continue
		}
		d.found = true
		title := 0
		if ps[0] < ix.titleLen[id] {
			title = 1
		}
		d.docs = append(d.docs, id)
		d.info = append(d.info, len(ps)<<1|title)
		if len([]rune(s)) == 2 {
			d.pos = append(d.pos, ps)
			var cs []string
			for _, p := range ps {
				// The characters before p, nearest first, and after
				// p+1, up to a space or the end of the text.
				before, after := strings.Split(string(r[:p]), " "), []rune(strings.Split(string(r[p+2:]), " ")[0])
				c := []rune(strings.Repeat(" ", 2*contextChars))
				b := []rune(before[len(before)-1])
				for i := 0; i < contextChars && i < len(b); i++ {
					c[i] = b[len(b)-1-i]
				}
				for i := 0; i < contextChars && i < len(after); i++ {
					c[contextChars+i] = after[i]
				}
				cs = append(cs, string(c))
			}
			d.ctx = append(d.ctx, cs)
		}
	}
	return d
}

// sameTerm compares a term read back with the one computed from the
// texts; contexts only where the files have them.
func sameTerm(got, want decoded) bool {
	if got.ctx == nil {
		want.ctx = nil
	}
	got.blocks, got.posBytes = nil, 0
	return fmt.Sprint(got) == fmt.Sprint(want)
}

// cutSizes runs set, which cuts the package's sizes (inlineDocs,
// heavyPos, blockBytes, contextDocs, storeUnits) so that a small index has
// the files of a large site's, and puts them back when t ends. t must not
// be parallel: the parallel tests' builders read the sizes.
func cutSizes(t *testing.T, set func()) {
	a, b, c, d, e := inlineDocs, heavyPos, blockBytes, contextDocs, storeUnits
	t.Cleanup(func() { inlineDocs, heavyPos, blockBytes, contextDocs, storeUnits = a, b, c, d, e })
	set()
}

// TestRoundTrip reads terms back from the written files and compares them
// with postings computed from the texts: a few evaluations with the sizes
// a site has, and 300 generated ones with sizes so small that they have
// long lists in l/, and heavy bigrams with many blocks.
func TestRoundTrip(t *testing.T) {
	// Not parallel: the small sizes are the package's, which the
	// parallel tests' builders read.
	ix, fs := buildSmall(t)
	for _, s := range []string{"补", "补贴", "贴", "pp", "p", "12", "资金", "“两", "局潜", "不存", "项目"} {
		got, want := lookup(t, fs.files, s), expected(ix, s)
		if !sameTerm(got, want) {
			t.Errorf("term %q: read %v, want %v", s, got, want)
		}
	}
	cutSizes(t, func() { inlineDocs, heavyPos, blockBytes, contextDocs = 64, 512, 2048, 30 })
	roundTrip(t)
}

// roundTrip checks a sample of the terms and phrases of 300 generated
// evaluations.
func roundTrip(t *testing.T) {
	docs := synthDocs(t, 300)
	b := NewBuilder()
	for _, d := range docs {
		b.Add(d)
	}
	ix := b.Index()
	fs := &memFS{}
	if err := ix.Write(fs); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var kinds [5]int // inline lists, lists in l/, light bigrams, blocks, blocks with contexts
	for range 200 {
		tm := ix.terms[rng.IntN(len(ix.terms))]
		a, b := keyRunes(tm.key)
		s := string(a)
		if b >= 0 {
			s += string(b)
		}
		got, want := lookup(t, fs.files, s), expected(ix, s)
		if !sameTerm(got, want) {
			t.Fatalf("term %q: read back %d docs, want %d", s, len(got.docs), len(want.docs))
		}
		kinds[min(1, len(tm.docs)/(inlineDocs+1))]++
		if b >= 0 {
			kinds[2+min(1, len(tm.pos)/(heavyPos+1))]++
			if got.blocks != nil && got.ctx != nil {
				kinds[4]++
			}
		}
	}
	if slices.Contains(kinds[:], 0) {
		t.Errorf("sampled terms (inline, long, light, heavy, heavy with contexts): %v; want each", kinds)
	}
	// Every phrase's list, its own or its alias's, is exact: documents,
	// tf and title flags.
	phrases := phrasesOf(t, fs.files)
	if len(phrases) < 100 {
		t.Fatalf("%d phrases: the generated texts share far more", len(phrases))
	}
	for range 300 {
		s := phrases[rng.IntN(len(phrases))]
		got, want := lookup(t, fs.files, s), expected(ix, s)
		if fmt.Sprint(got.docs, got.info) != fmt.Sprint(want.docs, want.info) {
			t.Fatalf("phrase %q: read back %v %v, want %v %v", s, got.docs, got.info, want.docs, want.info)
		}
	}
}

// TestDeterministic builds the same documents added in two orders from
// several goroutines and expects byte-identical files.
func TestDeterministic(t *testing.T) {
	// Not parallel: it shrinks the package's ring, which the parallel
	// tests' builders read; they wait until the sequential tests are done.
	// More workers than cores, and more documents than the build's ring
	// of slots, so that tokenisers overtake each other as they do on a
	// busy machine.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(8))
	defer func(n int) { ring = n }(ring)
	ring = 3
	docs := synthDocs(t, 1000)
	write := func(order []int) map[string][]byte {
		b := NewBuilder()
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for i := w; i < len(order); i += 4 {
					b.Add(docs[order[i]])
				}
			})
		}
		wg.Wait()
		var fs memFS
		if err := b.Write(&fs); err != nil {
			t.Fatal(err)
		}
		return fs.files
	}
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	one := write(order)
	for round := range 3 {
		rand.New(rand.NewPCG(5, uint64(round))).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		two := write(order)
		if !slices.Equal(slices.Sorted(maps.Keys(one)), slices.Sorted(maps.Keys(two))) {
			t.Fatal("two builds wrote different file names")
		}
		for name, data := range one {
			if !bytes.Equal(data, two[name]) {
				t.Fatalf("%s differs between builds", name)
			}
		}
	}
}

func TestFiles(t *testing.T) {
	t.Parallel()
	ix, fs := buildSmall(t)
	var m Meta
	if err := json.Unmarshal(fs.files["search/meta.json"], &m); err != nil {
		t.Fatal(err)
	}
	if m.Docs != 3 || m.Shards != 1 || fmt.Sprint(m.Facets["year"]) != "[2023 2022]" || fmt.Sprint(m.Facets["grade"]) != "[优 良 中]" {
		t.Errorf("meta = %+v", m)
	}
	if got := len(fs.files["search/facets.bin"]); got != 4*ix.Len() {
		t.Errorf("facets.bin has %d bytes, want %d", got, 4*ix.Len())
	}
	var chunk []docMeta
	if err := json.Unmarshal(fs.files["search/d/0.json"], &chunk); err != nil || len(chunk) != 3 {
		t.Fatal(err, len(chunk))
	}
	d := chunk[1]
	if d.URL != "2023/digital-city-management/" || d.Score != "85" || d.More {
		t.Errorf("d/1.json = %+v", d)
	}
	// Excerpts are cut from prose only: never from the list of
	// indicator names, which reads as a run of words.
	if strings.Contains(d.Text, "项目管理") {
		t.Errorf("excerpt text %q holds the indicator names", d.Text)
	}
	if sc := fs.files["search/scores.bin"]; binary.LittleEndian.Uint16(sc[0:]) != 65535 || binary.LittleEndian.Uint16(sc[2:]) != 8500 {
		t.Errorf("scores.bin = %v", sc)
	}
}

// BenchmarkIndex builds and writes the index of generated sites of 2,000
// and 10,000 evaluations (the size the budgets are set for), and reports
// with the time and allocations what the index comes to: its terms, its
// shards, its files and their size.
//
//	go test ./internal/search -run '^$' -bench Index -benchmem
//
// make bench measures the same index inside whole builds, with what a
// reader's browser downloads for a query.
func BenchmarkIndex(b *testing.B) {
	for _, n := range []int{2000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			docs := synthDocs(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			var ix *Index
			var fs memFS
			for b.Loop() {
				bl := NewBuilder()
				for _, d := range docs {
					bl.Add(d)
				}
				ix = bl.Index()
				fs = memFS{}
				if err := ix.Write(&fs); err != nil {
					b.Fatal(err)
				}
			}
			size := 0
			for _, data := range fs.files {
				size += len(data)
			}
			b.ReportMetric(float64(len(ix.terms)), "terms")
			b.ReportMetric(float64(ix.shardCount()), "shards")
			b.ReportMetric(float64(len(fs.files)), "files")
			b.ReportMetric(float64(size)/(1<<20), "index-MiB")
		})
	}
}

func BenchmarkNormalize(b *testing.B) {
	docs := synthDocs(b, 200)
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			for i := range docs {
				Normalize(docs[i].Text)
			}
		}
	})
	b.Run("slow", func(b *testing.B) {
		for b.Loop() {
			for i := range docs {
				slowNormalize(docs[i].Text)
			}
		}
	})
}

// TestScoreSortKey: a total the content allows but the two-byte sort key
// cannot hold sorts above the others, not among records without a score.
func TestScoreSortKey(t *testing.T) {
	for _, c := range []struct {
		score string
		want  uint16
	}{
		{"", 65535},
		{"0", 0},
		{"93.5", 9350},
		{"655.33", 65533},
		{"655.34", 65534},
		{"700", 65534},
		{"1000", 65534},
	} {
		if got := hundredths(c.score); got != c.want {
			t.Errorf("hundredths(%q) = %d, want %d", c.score, got, c.want)
		}
	}
}

// TestShardSizedOnce checks that a shard's positions are allocated once,
// at their final size: grown by appending, the positions of a
// 10,000-evaluation index were copied and zeroed several times over.
func TestShardSizedOnce(t *testing.T) {
	ix, _ := buildSmall(t)
	list := make([]int32, len(ix.terms))
	var keep []contextTerm
	for i := range list {
		list[i] = int32(i)
		if tm := &ix.terms[i]; contextBigram(len(tm.pos), ix.Len()) {
			keep = append(keep, contextOf(tm.key, tm.docs, tm.pos))
		}
	}
	pass := newContextPass(ix.Len(), keep, &listStore{})
	if err := eachText(context.Background(), ix.Len(), ix.text, pass.visit); err != nil {
		t.Fatal(err)
	}
	ctxs, err := pass.contexts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out, err := ix.shard(list, ctxs)
	if err != nil {
		t.Fatal(err)
	}
	if cap(out.p) != len(out.p) && cap(out.p) > 2*len(out.p) || len(out.p) == 0 {
		t.Errorf("positions: len %d, cap %d; want one allocation of about the final size", len(out.p), cap(out.p))
	}
	if cap(out.t) != len(out.t) {
		t.Errorf("t/: len %d, cap %d; want one allocation of the final size", len(out.t), cap(out.t))
	}
}

// TestDocTextRunes: the runes a document is tokenised from are those of
// its normalised text (docText, which the reference search reads), with
// the same title length: fields empty or all whitespace, runes beyond the
// Basic Multilingual Plane, text the slow path normalises, invalid UTF-8.
func TestDocTextRunes(t *testing.T) {
	docs := []Doc{
		{},
		{Title: "  ＰＰＰ项目 ", Department: " ", Evaluator: "", Indicators: []string{"", "e\u0301x", "\u3000"},
			Details: []string{"𠀀𠀁 补贴", "\xff\xfe半\xe4\xb8"}, Text: "ΟΔΟΣ \t 资金\n"},
		{Title: "\xe4\xb8", Text: "\u1100\u1161 \ufeff"},
	}
	docs = append(docs, synthDocs(t, 20)...)
	var dt docTerms
	for i := range docs {
		text, tl := docText(&docs[i])
		got := dt.text(&docs[i])
		if !slices.Equal(dt.runes, []rune(text)) || got != tl {
			t.Errorf("doc %d: runes %+q (title %d), want %+q (title %d)", i, string(dt.runes), got, text, tl)
		}
	}
}

// TestTokenizeReference: a document's terms, counts, title flags and
// positions are those of a plain count over its runes, document after
// document with the same docTerms (the tables it reuses start clean):
// runes in and beyond the Basic Multilingual Plane, in and after the
// title, and documents of more distinct terms than the table starts with.
func TestTokenizeReference(t *testing.T) {
	type want struct {
		tf    int32 // negative when in the title
		pos   []uint32
		found bool
	}
	docs := []Doc{
		{Title: "补贴𠀀补贴", Text: "补贴 𠀀𠀁𠀀 贴补补贴 a𠀀"},
		{Title: "𠀁", Text: "资金使用"},
		{Text: "补"},
	}
	var long strings.Builder
	for i := range 6000 {
		long.WriteRune(rune(0x4e00 + i*7%20000))
		long.WriteRune(rune(0x20000 + i%50))
	}
	docs = append(docs, Doc{Title: "长", Text: long.String()}, docs[0], docs[2])
	docs = append(docs, synthDocs(t, 5)...)
	var dt docTerms
	for d := range docs {
		tl := dt.text(&docs[d])
		text := slices.Clone(dt.runes)
		dt.tokenize(dt.runes, tl)
		ref := map[uint64]*want{}
		for p, r := range text {
			if r == ' ' {
				continue
			}
			add := func(k uint64, at int, bigram bool) {
				w := ref[k]
				if w == nil {
					w = &want{}
					ref[k] = w
					if at < tl {
						w.tf = -1
					} else {
						w.tf = 1
					}
				} else if w.tf < 0 {
					w.tf--
				} else {
					w.tf++
				}
				if bigram {
					w.pos = append(w.pos, uint32(at))
				}
			}
			add(unigramKey(r), p, false)
			if p > 0 && text[p-1] != ' ' {
				add(bigramKey(text[p-1], r), p-1, true)
			}
		}
		if len(dt.keys) != len(ref) {
			t.Fatalf("doc %d: %d terms, want %d", d, len(dt.keys), len(ref))
		}
		for n, k := range dt.keys {
			w := ref[k]
			if w == nil || w.found {
				t.Fatalf("doc %d: term %x unexpected or twice", d, k)
			}
			w.found = true
			var pos []uint32
			if k&noRune != noRune {
				pos = dt.pos[dt.off[n] : dt.off[n]+abs32(dt.tf[n])]
			}
			if dt.tf[n] != w.tf || !slices.Equal(pos, w.pos) {
				t.Fatalf("doc %d: term %x tf %d positions %v, want %d %v", d, k, dt.tf[n], pos, w.tf, w.pos)
			}
		}
	}
}

// BenchmarkTokenize measures what Stream.Add does on a worker, one
// goroutine: normalise a document's text and tokenise it.
//
//	go test ./internal/search -run '^$' -bench Tokenize
func BenchmarkTokenize(b *testing.B) {
	docs := synthDocs(b, 200)
	var dt docTerms
	b.ReportAllocs()
	for b.Loop() {
		for i := range docs {
			dt.tokenize(dt.runes, dt.text(&docs[i]))
			dt.group()
		}
	}
}

// BenchmarkPhraseScan measures the pass of phraseTerms over every
// document's text on one goroutine, the phrases chosen from the sample
// of a generated site of 10,000 evaluations as a build chooses them: at
// that size the pass is more than a second of a build's CPU, spread over
// its cores.
//
//	go test ./internal/search -run '^$' -bench PhraseScan
func BenchmarkPhraseScan(b *testing.B) {
	docs := synthDocs(b, 10000)
	texts, titles := make([][]rune, len(docs)), make([]int, len(docs))
	var dt docTerms
	for i := range docs {
		titles[i] = dt.text(&docs[i])
		texts[i] = slices.Clone(dt.runes)
	}
	var sample [][]rune
	for _, id := range sampleOf(urlsOf(docs)) {
		sample = append(sample, texts[id])
	}
	t, listed := phraseTrie(sample)
	nodes := t.outputs(func(ph int32) bool { return listed[ph] == ph })
	at := make([]int64, len(t.parent))
	cnt, first := make([]int32, len(t.phrases)), make([]int32, len(t.phrases))
	var touched []int32
	hits := 0
	for b.Loop() {
		for i, text := range texts {
			touched = t.scan(text, titles[i], nodes, at, cnt, first, touched, func(int32, uint64) { hits++ })
		}
	}
	if hits == 0 {
		b.Fatal("no phrase found")
	}
}

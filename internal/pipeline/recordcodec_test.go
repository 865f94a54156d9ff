package pipeline

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/evalpress/evalpress/internal/buildcache"
	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/score"
)

// fill sets every exported field reachable from v to a value of its
// own, distinct from its zero and from the others (n counts them), with
// two items in each list (indicators two levels deep: levels counts
// them), so that a field the cache's format leaves out
// comes back different. Unexported fields stay zero: the format leaves
// them out, and TestRecordsFormatUnexported lists how the cache gives
// each back.
func fill(v reflect.Value, n, levels *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + strings.Repeat("x", *n%7) + string(rune('a'+*n%26)) + "-" + string(rune('A'+*n/26%26)) + "评")
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(*n) * -37)
	case reflect.Uint64, reflect.Uint32:
		v.SetUint(uint64(*n) << 20)
	case reflect.Uint8:
		v.SetUint(uint64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), n, levels)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n, levels)
			}
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n, levels)
	case reflect.Slice:
		if v.Type() == reflect.TypeFor[[]*content.Indicator]() {
			if *levels == 2 {
				return // the items of a second-level indicator: none
			}
			*levels++
			defer func() { *levels-- }()
		}
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), n, levels)
		}
	default:
		panic("fill: no rule for " + v.Type().String())
	}
}

// filledEntry is a loadEntry with every exported field filled.
func filledEntry() *loadEntry {
	var e loadEntry
	n, levels := 0, 0
	fill(reflect.ValueOf(&e).Elem(), &n, &levels)
	return &e
}

func roundTrip(t *testing.T, e *loadEntry) *loadEntry {
	t.Helper()
	b, err := encodeEntry(nil, e)
	if err != nil {
		t.Fatal(err)
	}
	var got loadEntry
	d := decoder{b: b, slabs: make([]slab, entryTypes)}
	entryCodec.dec(&d, unsafe.Pointer(&got))
	if d.err != nil || d.at != len(b) {
		t.Fatalf("decoding: %v, %d of %d bytes read", d.err, d.at, len(b))
	}
	return &got
}

// TestRecordsFormatKeepsEveryField: a record kept in the cache of loaded
// records comes back with every exported field it had, of it and of
// everything it holds: a field added to any of them is kept (the format
// is derived from the types), or, of a kind the format has no rule for,
// stops every build until it has one.
func TestRecordsFormatKeepsEveryField(t *testing.T) {
	e := filledEntry()
	if got := roundTrip(t, e); !reflect.DeepEqual(got, e) {
		t.Errorf("decoded\n%+v\nwant\n%+v", got, e)
	}
	// What gob lost: a pointer to zero (a stated score of 0) and an
	// empty list that is not nil come back as they were; nil stays nil.
	zero := decimal.D(0)
	e.Eval.Record.Score = &zero
	e.Eval.Record.Tags = []string{}
	e.Eval.Record.Findings = nil
	e.Eval.Notes = []string{""}
	e.Eval.Record.Pos = nil
	got := roundTrip(t, e)
	if !reflect.DeepEqual(got, e) {
		t.Errorf("decoded\n%+v\nwant\n%+v", got, e)
	}
	if got.Eval.Record.Score == nil || got.Eval.Record.Tags == nil || got.Eval.Record.Findings != nil {
		t.Errorf("score %v, tags %#v, findings %#v: want a pointer to 0, an empty list and nil",
			got.Eval.Record.Score, got.Eval.Record.Tags, got.Eval.Record.Findings)
	}
}

// TestRecordsFormatUnexported: the format keeps exported fields only, as
// gob did; each unexported field of what a loadEntry reaches is given
// back by the cache some other way, said here. A field added without
// saying how fails here.
func TestRecordsFormatUnexported(t *testing.T) {
	how := map[string]string{
		"pipeline.loadEntry.same":         "set as the entry is decoded (recordCache.unchanged)",
		"pipeline.loadEntry.part":         "set as the entry is decoded (recordCache.decodeAll)",
		"pipeline.loadEntry.given":        "set as the entry is given back (recordCache.get)",
		"content.Record.narrativeName":    "loadEntry.Narrative, SetNarrativeRef",
		"content.Record.narrativeDropped": "loadEntry.Narrative, SetNarrativeRef",
		"content.Record.narrativeSum":     "loadEntry.Narrative, SetNarrativeRef",
		"content.Record.path":             "KeepPath when the load takes the record",
		"content.Record.frozen":           "loadEntry.Indicators, SetFrozenIndicators",
		"score.Evaluation.bands":          "SetBands, from the site's bands",
		"score.Evaluation.held":           "made while a page is rendered, nil before",
		"content.Positions.once":          "a cached record has no positions (GobEncode refuses them)",
		"content.Positions.src":           "a cached record has no positions",
		"content.Positions.file":          "a cached record has no positions",
		"content.Positions.m":             "a cached record has no positions",
		"content.Positions.floats":        "a cached record has no positions",
	}
	var found []string
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		if seen[t] {
			return
		}
		seen[t] = true
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(t.Elem())
		case reflect.Struct:
			for i := range t.NumField() {
				f := t.Field(i)
				if !f.IsExported() {
					found = append(found, t.String()+"."+f.Name)
					continue // not reached by the format
				}
				walk(f.Type)
			}
		}
	}
	walk(reflect.TypeFor[loadEntry]())
	for _, name := range found {
		if how[name] == "" {
			t.Errorf("%s is not kept by the cache of loaded records: give it back in recordCache.get or readPart, and say how here", name)
		}
	}
	for name := range how {
		if !slices.Contains(found, name) {
			t.Errorf("%s is no longer a field: remove it from this list", name)
		}
	}
}

// testPart is a part of two filled entries, their indicators packed as
// save packs them.
func testPart(t *testing.T, key buildcache.Sum) []byte {
	t.Helper()
	var entries []*loadEntry
	for range 2 {
		e := filledEntry()
		r := e.Eval.Record
		e.Indicators, r.Indicators = r.PackedIndicators(), nil
		r.Pos = nil
		entries = append(entries, e)
	}
	b, err := encodePart(key, entries, new(partSizes))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRecordsPartCutShort: a part cut anywhere, or with bytes after its
// end, gives no entries and is rewritten, never misread nor a panic
// (ReadPart checks the part's hash first; this is what stands behind
// it).
func TestRecordsPartCutShort(t *testing.T) {
	key := buildcache.Sum{1, 2, 3}
	b := testPart(t, key)
	entries, n, err := decodePart(bytes.Clone(b), key)
	if err != nil || n != 2 || len(entries) != 2 {
		t.Fatalf("a whole part: %d entries of %d, %v", len(entries), n, err)
	}
	if len(entries[1].Eval.Record.IndicatorTree()) != 2 {
		t.Errorf("a whole part: the second record has %d indicators, want 2", len(entries[1].Eval.Record.IndicatorTree()))
	}
	for i := range len(b) {
		entries, n, err := decodePart(bytes.Clone(b[:i]), key)
		if entries != nil || n != -1 {
			t.Fatalf("a part cut at %d of %d bytes: %d entries, %d held, %v; want none, unknown", i, len(b), len(entries), n, err)
		}
		if i > len(recordsVersion) && err == nil {
			t.Fatalf("a part cut at %d of %d bytes was not refused", i, len(b))
		}
	}
	if entries, _, err := decodePart(append(bytes.Clone(b), 0), key); err == nil || entries != nil {
		t.Errorf("a part with a byte after its end was accepted")
	}
}

// TestRecordsPartOfOlderFormat: a part of the format before (gob), or
// made under another key, gives no entries and no error: its records
// are read again, silently, as after a new binary.
func TestRecordsPartOfOlderFormat(t *testing.T) {
	key := buildcache.Sum{1, 2, 3}
	var old bytes.Buffer
	if err := gob.NewEncoder(&old).Encode(struct {
		Key   buildcache.Sum
		Count int
	}{key, 1}); err != nil {
		t.Fatal(err)
	}
	if entries, n, err := decodePart(old.Bytes(), key); entries != nil || n != -1 || err != nil {
		t.Errorf("a gob part: %d entries, %d held, %v; want none, unknown, no error", len(entries), n, err)
	}
	if entries, n, err := decodePart(testPart(t, key), buildcache.Sum{9}); entries != nil || n != 2 || err != nil {
		t.Errorf("a part of another key: %d entries, %d held, %v; want none, 2, no error", len(entries), n, err)
	}
}

// benchPart is a part of n entries like a loaded record's: the fields a
// real record fills, with texts of a real record's lengths.
func benchPart(n int) []*loadEntry {
	entries := make([]*loadEntry, n)
	for i := range entries {
		amount := func(v int64) *decimal.Amount { return &decimal.Amount{Value: decimal.D(v), Places: 2} }
		r := &content.Record{File: "content/2021/evaluations/air-pollution-control-d10-0105.toml", Slug: "air-pollution-control-d10-0105",
			NarrativeFile: "content/2021/evaluations/air-pollution-control-d10-0105.md", Title: "大气污染防治专项资金项目支出绩效评价报告",
			Department: "示例市生态环境局", Year: 2021, Kind: "project", Evaluator: "示例会计师事务所有限公司",
			Budget: amount(123456), Spent: amount(120000), Published: &content.Date{Year: 2022, Month: 4, Day: 30},
			Tags: []string{"环境保护", "大气"}, Grade: "优", BudgetInitial: amount(100000),
			Goal: strings.Repeat("完成年度大气污染防治任务，", 8), Outcome: strings.Repeat("全面完成年度任务，", 8), Method: "第三方评价",
			Findings: []*content.Finding{{Key: "findings[0]", Problem: strings.Repeat("项目资金拨付进度较慢，", 4), Measure: "加快资金拨付", Owner: "财务科",
				Deadline: &content.Date{Year: 2022, Month: 12, Day: 31}, Status: "整改中"}},
			Documents: []*content.Document{{Key: "documents[0]", File: "report.pdf", Title: "评价报告全文"}}}
		ev := &score.Evaluation{Record: r, HasTotal: true, Total: 92_500_000, Max: 100_000_000, Rate: 925_000, Computed: 92_500_000,
			GradeShown: "优", GradeComputed: "优", Official: "评价结果", Execution: "97.20", ExecutionComputed: 97_200_000,
			HasExecutionComputed: true, Findings: []score.Finding{{Finding: r.Findings[0], StatusName: "整改中"}}}
		entries[i] = &loadEntry{Files: content.RecordFiles{Record: "2021/evaluations/air-pollution-control-d10-0105.toml",
			Narrative: "2021/evaluations/air-pollution-control-d10-0105.md"},
			IDs:  []fileID{{Name: "2021/evaluations/air-pollution-control-d10-0105.toml", Size: 4000, MTime: 1 << 60, CTime: 1 << 60, Ino: 1 << 30, Dev: 2049}, {Name: "2021/evaluations/air-pollution-control-d10-0105.md", Size: 4000, MTime: 1 << 60, CTime: 1 << 60, Ino: 1 << 30, Dev: 2049}},
			Sums: []buildcache.Sum{{1}, {2}}, Eval: ev, Indicators: bytes.Repeat([]byte{'x'}, 1500),
			Narrative: content.NarrativeRef{Name: "2021/evaluations/air-pollution-control-d10-0105.md", Dropped: true, Sum: 1 << 50}}
	}
	return entries
}

// BenchmarkRecordsPartDecode compares the decoding of a part of 1,500
// records (one of 64 at 100,000) by the cache's format with gob's.
func BenchmarkRecordsPartDecode(b *testing.B) {
	entries := benchPart(1500)
	b.Run("format", func(b *testing.B) {
		part, err := encodePart(buildcache.Sum{}, entries, new(partSizes))
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(part)))
		b.ReportAllocs()
		for b.Loop() {
			d := decoder{b: part, slabs: make([]slab, entryTypes)}
			d.at = len(recordsVersion) + 1 + 32
			n := d.count(1)
			slab := make([]loadEntry, n)
			for i := range slab {
				entryCodec.dec(&d, unsafe.Pointer(&slab[i]))
			}
			if d.err != nil {
				b.Fatal(d.err)
			}
		}
	})
	b.Run("gob", func(b *testing.B) {
		var buf bytes.Buffer
		enc := gob.NewEncoder(&buf)
		for _, e := range entries {
			if err := enc.Encode(e); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(buf.Len()))
		b.ReportAllocs()
		for b.Loop() {
			dec := gob.NewDecoder(bytes.NewReader(buf.Bytes()))
			for range entries {
				var e loadEntry
				if err := dec.Decode(&e); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// TestSettledRecordsAreTheLoaded: after the load, a build puts in place
// of each record it loaded the record's copy as its cache decodes it
// (loadHooks.settle); the copy is the loaded record, field for field,
// unexported state included, so that every page made from it is the
// same.
func TestSettledRecordsAreTheLoaded(t *testing.T) {
	const content = "../../testdata/full"
	cache, err := buildcache.Open(filepath.Join(t.TempDir(), "cache"), content)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	sums := map[string]buildcache.Sum{}
	rc := newRecordCache(cache, content, content, buildcache.Sum{}, true, time.Now().Add(time.Hour), nil, nil)
	rc.sumOf = func(name string) (buildcache.Sum, bool) {
		mu.Lock()
		defer mu.Unlock()
		s, ok := sums[name]
		return s, ok
	}
	h := &loadHooks{records: rc, read: func(name string, data []byte) {
		mu.Lock()
		sums[name] = sha256.Sum256(data)
		mu.Unlock()
	}}
	opts := Options{Content: content, Now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	var l1, l2 diag.List
	loaded, _, err := prepare(opts, true, nil, &l1)
	if err != nil {
		t.Fatalf("%v\n%s", err, l1.All())
	}
	settled, _, err := prepare(opts, true, h, &l2)
	if err != nil {
		t.Fatalf("%v\n%s", err, l2.All())
	}
	want, got := loaded.model.Evaluations, settled.model.Evaluations
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("%d evaluations settled, %d loaded", len(got), len(want))
	}
	for i, e := range got {
		r := e.Record
		if r.HasIndicators() && r.Indicators != nil {
			t.Errorf("%s: the record is the one loaded, not its copy from the cache (its indicators are not frozen)", r.File)
		}
		r.ThawIndicators()
		if !reflect.DeepEqual(e, want[i]) {
			t.Errorf("%s: settled\n%+v\nloaded\n%+v", r.File, *r, *want[i].Record)
		}
	}
}

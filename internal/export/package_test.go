package export

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/sysfile"
)

// TestTablesMatchTheSchema checks the data dictionary's two sources
// against each other: every column that names a field of
// evaluations.json names one the schema has, and every column and field
// has a meaning to show.
func TestTablesMatchTheSchema(t *testing.T) {
	fields, err := SchemaFields()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, f := range fields {
		known[f.Path] = true
		if f.Description == "" || f.Type == "" {
			t.Errorf("schema field %s: type %q, description %q", f.Path, f.Type, f.Description)
		}
	}
	for _, tb := range Tables() {
		seen := map[string]bool{}
		for _, c := range tb.Columns {
			if c.Meaning == "" {
				t.Errorf("%s: column %s has no meaning", tb.File, c.Header)
			}
			if seen[c.Header] {
				t.Errorf("%s: column %s twice", tb.File, c.Header)
			}
			seen[c.Header] = true
			if c.Field != "" && !known["evaluations[]."+c.Field] {
				t.Errorf("%s: column %s names field %q, which the schema does not have", tb.File, c.Header, c.Field)
			}
		}
	}
}

// TestSchemaMatchesTheOutput compares the properties of the schema with
// the JSON names of the types that encode evaluations.json, at every
// level: a field added to Evaluation (or any type below it) fails here
// until the schema describes it, and a field dropped from the output
// fails until the schema drops it too.
func TestSchemaMatchesTheOutput(t *testing.T) {
	var root schemaNode
	if err := json.Unmarshal(Schema, &root); err != nil {
		t.Fatal(err)
	}
	var compare func(path string, typ reflect.Type, n *schemaNode)
	compare = func(path string, typ reflect.Type, n *schemaNode) {
		for n.Ref != "" {
			n = root.Defs[strings.TrimPrefix(n.Ref, "#/$defs/")]
		}
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
			if n.Items != nil {
				n = n.Items
				for n.Ref != "" {
					n = root.Defs[strings.TrimPrefix(n.Ref, "#/$defs/")]
				}
			}
		}
		if typ.Kind() != reflect.Struct || typ.PkgPath() != reflect.TypeFor[Data]().PkgPath() {
			return
		}
		var names []string
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				t.Errorf("%s.%s has no JSON name", path, f.Name)
				continue
			}
			names = append(names, name)
			p := n.Properties[name]
			if p == nil {
				t.Errorf("the schema lacks %s.%s", path, name)
				continue
			}
			required := slices.Contains(n.Required, name)
			if omit := strings.Contains(opts, "omitempty"); required == omit {
				t.Errorf("%s.%s: required %v in the schema, omitempty %v in the output", path, name, required, omit)
			}
			if name != "items" { // an indicator's items are indicators
				compare(path+"."+name, f.Type, p)
			}
		}
		for name := range n.Properties {
			if !slices.Contains(names, name) {
				t.Errorf("the schema has %s.%s, which the output does not", path, name)
			}
		}
	}
	compare("", reflect.TypeFor[Data](), &root)
}

// TestIndicatorRowsFollowTheTree checks indicators.csv's place and path
// of names at every level of the fixture with three levels.
func TestIndicatorRowsFollowTheTree(t *testing.T) {
	_, evals := loadFull(t)
	var b bytes.Buffer
	if err := indicatorRows(&b, evals); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(evals[0].Rows()) {
		t.Fatalf("%d rows, want one per indicator (%d)", len(rows), len(evals[0].Rows()))
	}
	levels := map[string]int{}
	for i, r := range rows {
		want := evals[0].Rows()[i]
		parts := strings.Split(r[3], PathSeparator)
		if r[0] != "2023/road-maintenance" || r[1] != string(rune('0'+want.Level)) || len(parts) != want.Level ||
			parts[len(parts)-1] != want.Name || r[4] != want.Name || strings.Count(r[2], ".")+1 != want.Level {
			t.Errorf("row %d = %q, want level %d, name %s", i, r, want.Level, want.Name)
		}
		levels[r[1]]++
	}
	if levels["1"] == 0 || levels["2"] == 0 || levels["3"] == 0 {
		t.Errorf("levels %v, want rows of the three levels", levels)
	}
	// Places run 1, 1.1, 1.1.1 … and never repeat.
	seen := map[string]bool{}
	for _, r := range rows {
		if seen[r[2]] {
			t.Errorf("place %s twice", r[2])
		}
		seen[r[2]] = true
	}
	if rows[0][2] != "1" || rows[1][2] != "1.1" {
		t.Errorf("first places %q %q, want 1 and 1.1", rows[0][2], rows[1][2])
	}
}

// TestZipIsDeterministic checks that a zip depends on its entries and
// date only, keeps the entries' order and dates them as told.
func TestZipIsDeterministic(t *testing.T) {
	day := time.Date(2024, 4, 26, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	entries := []ZipEntry{{"2023/a.csv", [][]byte{[]byte("\ufeffa,b\r\n"), []byte("1,2\r\n")}}, {"2023/b.json", [][]byte{[]byte(`{}`)}}}
	a, err := Zip(day, entries)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Zip(day, entries)
	if !bytes.Equal(a, b) {
		t.Error("two zips of the same entries differ")
	}
	z, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range z.File {
		names = append(names, f.Name)
		if !f.Modified.Equal(day) || f.Method != zip.Deflate {
			t.Errorf("%s: modified %v, method %d; want %v, deflate", f.Name, f.Modified, f.Method, day)
		}
		r, _ := f.Open()
		got, _ := io.ReadAll(r)
		want := bytes.Join(entries[len(names)-1].Parts, nil)
		if !bytes.Equal(got, want) {
			t.Errorf("%s = %q, want %q", f.Name, got, want)
		}
	}
	if !slices.Equal(names, []string{"2023/a.csv", "2023/b.json"}) {
		t.Errorf("entries %q", names)
	}
	if c, _ := Zip(day.AddDate(0, 0, 1), entries); bytes.Equal(a, c) {
		t.Error("the date does not reach the zip")
	}
}

// TestSumsFile checks SHA256SUMS's form: sorted, the hex digest, two
// spaces, the name.
func TestSumsFile(t *testing.T) {
	var s Sums
	s.Add("b.csv", []byte("b"))
	s.Add("a.json", []byte("a"))
	s.Add("b.csv", []byte("bb"))
	hash := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	want := hash("a") + "  a.json\n" + hash("bb") + "  b.csv\n"
	if got := string(s.File()); got != want {
		t.Errorf("SHA256SUMS =\n%s\nwant\n%s", got, want)
	}
}

// memFiles is a data folder in memory, for Builder's create.
type memFiles map[string]*memFile

type memFile struct {
	bytes.Buffer
	closed bool
}

func (f *memFile) Close() error { f.closed = true; return nil }

func (m memFiles) create(name string) (io.WriteCloser, error) {
	f := &memFile{}
	m[name] = f
	return f, nil
}

// TestBuilderJoinsYears checks that the files of all years are the years'
// parts joined: the JSON of two years parses and holds both, in order;
// each year's zip holds its part of each file, whole; every file is
// closed.
func TestBuilderJoinsYears(t *testing.T) {
	site, evals := loadFull(t)
	files := memFiles{}
	b, err := NewBuilder(site, files.create)
	if err != nil {
		t.Fatal(err)
	}
	day := content.Date{Year: 2024, Month: 5, Day: 10}.In(time.UTC)
	for _, y := range []int{2024, 2023} {
		if _, err := b.Add(y, evals, day, nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Add(2022, nil, day, nil); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	var doc struct{ Evaluations []struct{ ID string } }
	if err := json.Unmarshal(files[JSONFile].Bytes(), &doc); err != nil {
		t.Fatalf("%s: %v\n%s", JSONFile, err, files[JSONFile].Bytes())
	}
	if len(doc.Evaluations) != 2 || doc.Evaluations[0].ID != "2023/road-maintenance" {
		t.Errorf("evaluations.json holds %d evaluations, want 2 with their id", len(doc.Evaluations))
	}
	for name, f := range files {
		if !f.closed {
			t.Errorf("%s not closed", name)
		}
	}
	if !bytes.Equal(files[SchemaFile].Bytes(), Schema) {
		t.Errorf("%s is not the schema", SchemaFile)
	}
	z, err := zip.NewReader(bytes.NewReader(files["2024.zip"].Bytes()), int64(files["2024.zip"].Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range z.File {
		r, _ := e.Open()
		got, _ := io.ReadAll(r)
		var want []byte
		switch e.Name {
		case "2024/" + EvaluationsCSV:
			want = files["2024.csv"].Bytes()
		case "2024/" + JSONFile:
			one, err := JSON(site, evals)
			if err != nil {
				t.Fatal(err)
			}
			want = one
		default:
			// One year of the same evaluations as the other: half the
			// rows of the file of all years.
			all := files[strings.TrimPrefix(e.Name, "2024/")].String()
			head, rows, _ := strings.Cut(all, "\r\n")
			want = []byte(head + "\r\n" + rows[:len(rows)/2])
		}
		if !bytes.Equal(got, want) {
			t.Errorf("2024.zip: %s =\n%s\nwant\n%s", e.Name, got, want)
		}
	}
}

// TestBuilderStopsAtAFailedFile checks that a file that cannot be
// written fails the package, and that Close then closes every file
// opened without writing more.
func TestBuilderStopsAtAFailedFile(t *testing.T) {
	site, evals := loadFull(t)
	files := memFiles{}
	create := func(name string) (io.WriteCloser, error) {
		if name == "2023.zip" {
			return nil, errors.New("disk full")
		}
		return files.create(name)
	}
	b, err := NewBuilder(site, create)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Add(2023, evals, time.Now(), nil); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Add = %v, want the error of the zip", err)
	}
	if err := b.Close(); err != nil {
		t.Errorf("Close after a failed Add = %v", err)
	}
	for name, f := range files {
		if !f.closed {
			t.Errorf("%s not closed", name)
		}
	}
	if _, ok := files[SchemaFile]; ok {
		t.Errorf("%s written after a failure", SchemaFile)
	}
}

// diskFile is a file of a data folder on disk that hashes what it
// writes and can start as a copy of another (Resumable), as the output's
// files do; started notes how many bytes it started with.
type diskFile struct {
	f       *os.File
	h       hash.Hash
	started int64
}

func (d *diskFile) Write(p []byte) (int, error) {
	d.h.Write(p)
	return d.f.Write(p)
}

func (d *diskFile) Close() error { return d.f.Close() }

func (d *diskFile) StartAs(src *os.File, n int64, state []byte) error {
	if err := d.h.(encoding.BinaryUnmarshaler).UnmarshalBinary(state); err != nil {
		return err
	}
	d.started = n
	return sysfile.CopyRange(d.f, src, 0, n)
}

func (d *diskFile) HashState() ([]byte, error) {
	return d.h.(encoding.BinaryMarshaler).MarshalBinary()
}

// diskFiles is a data folder on disk, for Builder's create.
type diskFiles struct {
	dir   string
	files map[string]*diskFile
}

func (m *diskFiles) create(name string) (io.WriteCloser, error) {
	f, err := os.Create(filepath.Join(m.dir, name))
	if err != nil {
		return nil, err
	}
	d := &diskFile{f: f, h: sha256.New()}
	m.files[name] = d
	return d, nil
}

// section is a year's part of a previous file of all years (a Section).
type section struct {
	*io.SectionReader
	f      *os.File
	off, n int64
	state  []byte
}

func (s section) Section() (*os.File, int64, int64, []byte) { return s.f, s.off, s.n, s.state }

// TestBuilderTakesTheFrontUnread: the years a build takes from the
// previous build's files of all years, before the first it makes, are not
// read: each file starts as a copy of the previous one up to their end,
// hashed as far as the state the previous build noted there. The files
// and their digests are those of a build that makes every year.
func TestBuilderTakesTheFrontUnread(t *testing.T) {
	site, evals := loadFull(t)
	day := content.Date{Year: 2024, Month: 5, Day: 10}.In(time.UTC)
	build := func(dir string, years func(b *Builder) error) *diskFiles {
		t.Helper()
		files := &diskFiles{dir: dir, files: map[string]*diskFile{}}
		b, err := NewBuilder(site, files.create)
		if err != nil {
			t.Fatal(err)
		}
		if err := years(b); err != nil {
			t.Fatal(err)
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		return files
	}
	var parts []Parts
	prevDir := t.TempDir()
	build(prevDir, func(b *Builder) error {
		for _, y := range []int{2024, 2023, 2022} {
			p, err := b.Add(y, evals, day, nil)
			if err != nil {
				return err
			}
			parts = append(parts, p)
		}
		return nil
	})
	// 2022 changed (it has no evaluations now): 2024 and 2023 are taken.
	want := build(t.TempDir(), func(b *Builder) error {
		for _, y := range []int{2024, 2023} {
			if _, err := b.Add(y, evals, day, nil); err != nil {
				return err
			}
		}
		_, err := b.Add(2022, nil, day, nil)
		return err
	})
	var prev [5]*os.File
	for i, name := range AllYears {
		f, err := os.Open(filepath.Join(prevDir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		prev[i] = f
	}
	got := build(t.TempDir(), func(b *Builder) error {
		for _, p := range parts[:2] {
			var readers [5]io.Reader
			for i, f := range prev {
				readers[i] = section{io.NewSectionReader(f, p.Off[i], p.Len[i]), f, p.Off[i], p.Len[i], p.States[i]}
			}
			taken, err := b.Take(len(evals), readers)
			if err != nil {
				return err
			}
			if taken.Off != p.Off || taken.Len != p.Len || !reflect.DeepEqual(taken.States, p.States) {
				t.Errorf("year taken at %v+%v with states %x, want it where it was, %v+%v with %x", taken.Off, taken.Len, taken.States, p.Off, p.Len, p.States)
			}
		}
		_, err := b.Add(2022, nil, day, nil)
		return err
	})
	for i, name := range AllYears {
		wantBytes, err := os.ReadFile(filepath.Join(want.dir, name))
		if err != nil {
			t.Fatal(err)
		}
		gotBytes, err := os.ReadFile(filepath.Join(got.dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(gotBytes, wantBytes) {
			t.Errorf("%s =\n%s\nwant\n%s", name, gotBytes, wantBytes)
		}
		f := got.files[name]
		if end := parts[1].Off[i] + parts[1].Len[i]; f.started != end {
			t.Errorf("%s started as the first %d bytes of the previous file, want %d", name, f.started, end)
		}
		if sum := sha256.Sum256(wantBytes); !bytes.Equal(f.h.Sum(nil), sum[:]) {
			t.Errorf("%s: digest %x, want %x", name, f.h.Sum(nil), sum)
		}
	}
}

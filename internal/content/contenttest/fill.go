// Package contenttest helps the tests of packages that publish content: Fill
// sets every text field of a Record, Report or Site, at every level of
// nesting, so that a test can find each field in an output and tell which
// one it is. The tests of content, privacy, search and export use it to
// check that what they publish is what content's field lists say.
//
// It is for tests only; no production package imports it.
package contenttest

import (
	"cmp"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Fill sets every exported text field reachable from the struct p points to
// (strings, slices of strings and []byte; through pointers, slices and
// nested structs, three levels deep, one item per slice) to text(name,
// level), where name is the field as Type.Field ("Record.Title",
// "Indicator.Name") and level the depth of nesting. It returns the field's
// name by each text set, so text must give every field its own value.
func Fill(p any, text func(name string, level int) string) map[string]string {
	names := map[string]string{}
	fill(reflect.ValueOf(p).Elem(), 0, text, names)
	return names
}

// Marks is the text function for Fill that names each field, 〔Record.Title#0〕:
// no field's value is part of another's.
func Marks(name string, level int) string { return fmt.Sprintf("〔%s#%d〕", name, level) }

func fill(v reflect.Value, depth int, text func(string, int) string, names map[string]string) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := t.Name() + "." + f.Name
		fv := v.Field(i)
		switch {
		case f.Type.Kind() == reflect.String:
			s := text(name, depth)
			fv.SetString(s)
			names[s] = name
		case f.Type == reflect.TypeOf([]string(nil)):
			s := text(name, depth)
			fv.Set(reflect.ValueOf([]string{s}))
			names[s] = name
		case f.Type == reflect.TypeOf([]byte(nil)):
			s := text(name, depth)
			fv.SetBytes([]byte(s))
			names[s] = name
		case f.Type.Kind() == reflect.Struct:
			fill(fv, depth, text, names)
		case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct && depth < 3:
			p := reflect.New(f.Type.Elem())
			fill(p.Elem(), depth+1, text, names)
			fv.Set(p)
		case f.Type.Kind() == reflect.Slice && depth < 3:
			e := f.Type.Elem()
			s := reflect.MakeSlice(f.Type, 1, 1)
			switch {
			case e.Kind() == reflect.Struct:
				fill(s.Index(0), depth+1, text, names)
			case e.Kind() == reflect.Pointer && e.Elem().Kind() == reflect.Struct:
				p := reflect.New(e.Elem())
				fill(p.Elem(), depth+1, text, names)
				s.Index(0).Set(p)
			default:
				continue
			}
			fv.Set(s)
		}
	}
}

// Compare checks an output made of a value that Fill filled: output must
// hold each text of want that is set true, may hold those set false, and
// must hold no other text that Fill set (names is Fill's result). It
// returns a line for each problem, in the order of the field names.
func Compare(output string, want map[string]bool, names map[string]string) []string {
	var problems []string
	for _, text := range slices.SortedFunc(maps.Keys(names), func(a, b string) int {
		return cmp.Or(cmp.Compare(names[a], names[b]), cmp.Compare(a, b))
	}) {
		must, listed := want[text]
		has := strings.Contains(output, text)
		switch {
		case must && !has:
			problems = append(problems, fmt.Sprintf("%s (%s) is missing", names[text], text))
		case !listed && has:
			problems = append(problems, fmt.Sprintf("%s (%s) is published but not listed for this output", names[text], text))
		}
	}
	return problems
}

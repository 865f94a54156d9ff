package content

import "strconv"

// Text is one published text of a record, a year report or site.toml: a
// value that a reader finds on a page, in the search index, the open data or
// a feed.
type Text struct {
	// Key names the field as diagnostics do: "title", "tags[1]",
	// "indicators[0].items[2].name", "figures[3].unit", "grades.优". It is
	// empty for a record's file name, which is published as the last
	// segment of the page's address but written under no key.
	Key   string
	Value string
}

// PublishedTexts lists every text of r that is published, with the key a
// diagnostic names it by, in the order of the record: the file name (the
// page's address), title, department, kind, attachment, evaluator, tags,
// series, stated grade, and each indicator's name, stated grade, target and
// actual value at every level; then the second edition's texts (see
// publishedForms). Empty values are left out. The narrative
// (Markdown, published after rendering) is not among them: it is
// r.Narrative.
//
// It is the one list of what a record publishes: the personal-data check
// scans it, and a field added to Record must be added here or to the
// not-published list of its test, which fails otherwise.
func (r *Record) PublishedTexts() []Text {
	ts := make([]Text, 0, 16)
	add := func(key, v string) {
		if v != "" {
			ts = append(ts, Text{key, v})
		}
	}
	add("", r.Slug)
	add("title", r.Title)
	add("department", r.Department)
	add("kind", r.Kind)
	add("attachment", r.Attachment)
	add("evaluator", r.Evaluator)
	for i, t := range r.Tags {
		add("tags["+strconv.Itoa(i)+"]", t)
	}
	add("series", r.Series)
	add("grade", r.Grade)
	var walk func([]*Indicator)
	walk = func(ins []*Indicator) {
		for _, in := range ins {
			add(in.Key+".name", in.Name)
			add(in.Key+".grade", in.Grade)
			add(in.Key+".target", in.Target)
			add(in.Key+".actual", in.Actual)
			walk(in.Items)
		}
	}
	walk(r.Indicators)
	r.publishedForms(add)
	return ts
}

// publishedForms adds the published texts of the second edition of the
// record (forms.go), in the order of the national form: the money block's
// sources, goal and outcome, each indicator's deviation, the method and
// review, findings, result use, documents, corrections and the reasons of
// acknowledged discrepancies. Kept apart from the first edition's list
// above so that each edition's fields are read in one place.
func (r *Record) publishedForms(add func(key, v string)) {
	for _, f := range r.Funds {
		add(f.Key+".source", f.Source)
	}
	add("goal", r.Goal)
	add("outcome", r.Outcome)
	var walk func([]*Indicator)
	walk = func(ins []*Indicator) {
		for _, in := range ins {
			add(in.Key+".deviation", in.Deviation)
			walk(in.Items)
		}
	}
	walk(r.Indicators)
	add("method", r.Method)
	if rv := r.Review; rv != nil {
		add("review.by", rv.By)
		add("review.grade", rv.Grade)
	}
	for _, f := range r.Findings {
		add(f.Key+".problem", f.Problem)
		add(f.Key+".measure", f.Measure)
		add(f.Key+".owner", f.Owner)
		add(f.Key+".status", f.Status)
		add(f.Key+".result", f.Result)
	}
	if u := r.ResultUse; u != nil {
		add("result_use.decision", u.Decision)
		add("result_use.note", u.Note)
	}
	for _, d := range r.Documents {
		add(d.Key+".file", d.File)
		add(d.Key+".title", d.Title)
	}
	for i, c := range r.Corrections {
		add("corrections["+strconv.Itoa(i)+"].note", c.Note)
	}
	for _, a := range r.Accepts {
		add(a.At+".reason", a.Reason)
	}
}

// PublishedTexts lists every text of a year report that is published, as
// Record.PublishedTexts does: the title and the label, value, unit and note
// of each key figure. The narrative is r.Narrative.
func (r *Report) PublishedTexts() []Text {
	ts := make([]Text, 0, 1+4*len(r.Figures))
	add := func(key, v string) {
		if v != "" {
			ts = append(ts, Text{key, v})
		}
	}
	add("title", r.Title)
	for i, f := range r.Figures {
		key := "figures[" + strconv.Itoa(i) + "]"
		add(key+".label", f.Label)
		add(key+".value", f.Value)
		add(key+".unit", f.Unit)
		add(key+".note", f.Note)
	}
	return ts
}

// PublishedTexts lists every text of site.toml that is published: the
// site's title and organisation (on every page and in the feed), its
// address (in the feed and sitemap) and the names of its grades.
func (s *Site) PublishedTexts() []Text {
	ts := make([]Text, 0, 3+len(s.Grades))
	add := func(key, v string) {
		if v != "" {
			ts = append(ts, Text{key, v})
		}
	}
	add("title", s.Title)
	add("organization", s.Organization)
	add("base_url", s.BaseURL)
	for _, b := range s.Grades {
		add("grades."+b.Grade, b.Grade)
	}
	return ts
}

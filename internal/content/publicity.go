package content

import "time"

// Publicity is whether a record or a year report is public at a given
// time: the one rule of what a built site may show. Only the preview
// server (evalpress serve -drafts/-future) shows a record that is not.
type Publicity int

const (
	// Public records are built.
	Public Publicity = iota
	// Draft records (draft = true) are never built.
	Draft
	// Pending records have a published date still to come, in the site's
	// time zone: they are built from that day on.
	Pending
)

// Publicity returns whether r is public at now, its published date read
// in s's time zone.
func (r *Record) Publicity(s *Site, now time.Time) Publicity {
	if r.Draft {
		return Draft
	}
	return pending(r.Published, s, now)
}

// Publicity returns whether the year report r is public at now, as
// Record.Publicity does (a report has no draft flag).
func (r *Report) Publicity(s *Site, now time.Time) Publicity {
	return pending(r.Published, s, now)
}

// pending returns Pending when the date d is after now in s's time zone.
func pending(d *Date, s *Site, now time.Time) Publicity {
	if d != nil && d.In(s.Location).After(now) {
		return Pending
	}
	return Public
}

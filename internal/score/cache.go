package score

// SetBands gives an evaluation decoded from a build's cache of loaded
// records the grade bands it was scored on, which it keeps unexported
// (for Rows): the cache is used only while the site's bands are the ones
// it was made with.
func (e *Evaluation) SetBands(b Bands) { e.bands = b }

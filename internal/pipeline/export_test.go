package pipeline

// The tests write content and build at once: a file is trusted by the
// cache of loaded records when it is older than the build's start, not
// two seconds older (every file system the tests run on keeps
// nanoseconds). TestRacyFileNotKept sets it back where it needs to.
func init() { racyGrain = 1 }

// RacyGrain lets a test of package pipeline_test read and set racyGrain.
var RacyGrain = &racyGrain

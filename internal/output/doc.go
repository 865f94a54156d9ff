// Package output writes a built site to disk so that the previous site stays
// in place until the new one is complete: files go to a temporary directory
// beside the output directory, which is swapped into place at the end. A
// build that fails leaves the old output exactly as it was.
//
// It is not a cache or an incremental writer: every build writes every file.
package output

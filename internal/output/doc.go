// Package output owns the folder a build writes (-out) and replaces it so
// that there is never a moment without a complete site there.
//
// Open refuses an output folder whose replacement would destroy something
// of the user's (the content folder, a repository, the working directory,
// a file, a folder evalpress did not make), follows a symlinked output to
// the folder it names, serialises builds on one output with a lock file
// beside it, and removes what a killed build left. Files are written to a
// temporary folder beside the output, which Commit exchanges with the old
// output in one step where the system can (renameat2 RENAME_EXCHANGE on
// Linux) and in two renames elsewhere; the next build repairs a swap that
// was cut between them. A build that fails or is cancelled leaves the old
// output exactly as it was.
//
// A build may take files unchanged from the previous output (Reuse): they
// are hard-linked (or copied) into the new folder, so that the swap and
// the guarantee above stay as they are. What may be reused is decided
// elsewhere (internal/pipeline, with its cache in internal/buildcache);
// this package only keeps the cache's folder beside the output (Beside).
//
// A build that is given the previous build's Manifest (Track) updates the
// output in place instead: it writes only the files whose bytes changed,
// and Commit moves them into place under a journal and removes the files
// of the previous build it no longer makes (update.go). A reader never
// finds a file missing or cut short, and a build killed during the moves
// is finished by the next one.
package output

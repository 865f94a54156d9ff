// Package docstest holds the test that runs the commands of the Chinese
// guide for web staff, docs/使用说明.md, as written, in a fresh copy of
// the repository. A guide whose commands no longer work is worse than no
// guide: the staffer it is written for cannot tell a stale command from
// their own mistake. The package has no code of its own; its test is in
// guide_unix_test.go (Unix only: the guide's commands are shell commands
// for Debian/Ubuntu).
package docstest

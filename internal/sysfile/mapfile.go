package sysfile

import "sync/atomic"

// MapFile returns the contents of name, shared with the file where the
// system allows (mapped into memory read-only, on unix) and read whole
// elsewhere, and a function that lets go of them: to be called only
// when nothing holds the contents any more, such as when they turn out
// to be damaged; otherwise they last as long as the process.
//
// It is for the build cache's large files that a build started anew
// reads whole and keeps (the index, 36 MB at 100,000 evaluations, and
// the parts of loaded records, 164 MB, whose records share them): read
// into new memory, each page of them cost a fault, a clearing and a copy
// (1.0 s of CPU for the parts, against 0.2 s mapped: session 45). The
// contents must not be written. A mapped file must only ever be replaced
// by a rename while its contents are in use, never written in place or
// cut short, as the cache's files are: a mapping reads what the file
// holds now, and faults past a new end.
func MapFile(name string) (data []byte, release func(), err error) { return mapFile(name) }

// mapped is the bytes of the mappings MapFile made that are not let go.
var mapped atomic.Int64

// Mapped returns how many bytes of files MapFile has mapped into memory
// and not let go of. They are part of the process's resident memory as
// they are read, and none of the Go runtime's: a memory limit for the
// runtime (debug.SetMemoryLimit) meant to keep the whole process within
// a budget must leave them room.
func Mapped() int64 { return mapped.Load() }

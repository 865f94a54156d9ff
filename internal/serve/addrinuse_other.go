//go:build !unix

package serve

import "syscall"

// errAddrInUse is the error a listen on a taken port wraps: on Windows
// WSAEADDRINUSE, which syscall does not name.
var errAddrInUse error = syscall.Errno(10048)

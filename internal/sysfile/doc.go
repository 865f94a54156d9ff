// Package sysfile reads and writes whole files in as few system calls as
// the system allows, and confines what a site's content folder may give
// the build.
//
// Speed: a build reads 19,000 content files and writes 13,000 pages; an
// *os.File registers each with the runtime's poller, which refuses regular
// files only after three fcntl calls and an epoll_ctl, so os.ReadFile and
// os.WriteFile take eight or nine system calls a file where four or five
// will do, and on a virtual machine a system call costs microseconds.
//
// Confinement: the content folder is written by people and by whatever
// they copy into it, and everything read from it may be published. DirFS
// therefore reads only regular files that lie inside the folder: a
// symbolic link (anywhere on the path below the folder), a device, a named
// pipe or a socket is refused, opening never blocks, and every read is
// bounded by a size limit checked before reading and enforced while
// reading. Other systems than unix use the os functions for the same
// rules.
package sysfile

// Package serve is the preview server of evalpress serve: it builds a site
// into memory, serves it on a loopback address under the site's base path
// with the production Content-Security-Policy, watches the content (and, in
// a source checkout, the default templates and assets) and rebuilds on
// change, telling open pages to reload through a server-sent event stream.
//
// An edit of evaluation records is applied incrementally (build.Live): the
// record's page and the lists that show it are re-rendered, not the whole
// site. A failed build keeps the last good site served and shows its
// diagnostics in the terminal and, through assets/js/livereload.js, as an
// overlay on open pages.
//
// It is not a production server: it binds only loopback addresses, keeps
// the whole site in memory, and answers only requests that name this
// machine in their Host header (a page on the web that rebinds its own
// name to 127.0.0.1 gets 421, not the drafts). Its timeouts and
// connection limits are sized for one person's browsers.
package serve

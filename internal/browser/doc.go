// Package browser opens a URL in the user's default web browser, for
// evalpress serve -open.
//
// It starts the system's opener (rundll32 on Windows, open on macOS,
// xdg-open elsewhere) and does not wait for the browser. A browser that
// cannot be opened is not an error: the preview runs on, and the user is
// told the address to open by hand.
//
// It is not a way to drive a browser; tests that need one use sitetest.
package browser

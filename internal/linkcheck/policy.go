package linkcheck

// ContentSecurityPolicy is the policy the pages are made for, and the one
// whose rules the link check applies (nothing from another host, data:
// only for images): the strictest a static site with its own scripts,
// styles and images can live with, and one a portal may impose (no inline
// script or style, no eval). The preview sends it, and the browser tests
// load every page under it.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'"

// Package pipeline runs the whole pipeline for one site: load, check and
// score (content, score, privacy), assemble and render (assemble, site),
// the search index from the assembled documents (search), and write
// (output). Its Run and Check build everything; Live keeps a built site
// for the preview server and renders again only what an edit touches,
// with the same render and a smaller site.Selection. It holds no logic of
// its own stages beyond deciding, from content.Publicity and the
// preview's options, which records a build shows.
package pipeline

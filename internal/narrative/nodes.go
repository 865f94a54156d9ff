package narrative

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// tableScroll wraps a table so that a wide table scrolls inside the page on
// a phone instead of widening it.
type tableScroll struct{ ast.BaseBlock }

var kindTableScroll = ast.NewNodeKind("TableScroll")

func (n *tableScroll) Kind() ast.NodeKind { return kindTableScroll }

func (n *tableScroll) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// lineBreak is an inline <br> written in the source as raw HTML; it is the
// only raw HTML that survives, as a node of its own rather than as HTML.
type lineBreak struct{ ast.BaseInline }

var kindLineBreak = ast.NewNodeKind("LineBreak")

func (n *lineBreak) Kind() ast.NodeKind { return kindLineBreak }

func (n *lineBreak) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// nodeRenderer renders this package's own nodes, and raw HTML should any
// reach the renderer (Render's walk replaces it all, so this is a second
// lock): nothing.
type nodeRenderer struct{}

func (nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindTableScroll, renderTableScroll)
	reg.Register(kindLineBreak, renderLineBreak)
	reg.Register(ast.KindRawHTML, renderNothing)
	reg.Register(ast.KindHTMLBlock, renderNothing)
}

func renderTableScroll(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		// tabindex: a scrollable region must be reachable by keyboard
		// (WCAG 2.1.1). No role="region": a landmark per table would crowd
		// a screen reader's landmark list, and the table speaks for itself.
		_, _ = w.WriteString("<div class=\"table-scroll\" tabindex=\"0\">\n")
	} else {
		_, _ = w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}

func renderLineBreak(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<br>")
	}
	return ast.WalkContinue, nil
}

func renderNothing(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
	return ast.WalkSkipChildren, nil
}

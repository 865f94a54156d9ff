package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// startChromium serves public on loopback and starts headless Chromium
// with a profile of its own, for the figures measured in a browser. It
// returns the browser's context, the site's address ("http://…/") and
// what stops both; a nil context when no Chromium is installed
// (EVALPRESS_CHROMIUM names one elsewhere).
func startChromium(ctx context.Context, public string) (context.Context, string, func(), error) {
	exe := os.Getenv("EVALPRESS_CHROMIUM")
	if exe == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				exe = p
				break
			}
		}
	}
	if exe == "" {
		return nil, "", nil, nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, err
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(public))}
	go srv.Serve(ln)
	profile, err := os.MkdirTemp("", "evalbench-chromium-")
	if err != nil {
		srv.Close()
		return nil, "", nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.UserDataDir(profile))
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancel := chromedp.NewContext(actx)
	stop := func() {
		cancel()
		cancelAlloc()
		srv.Close()
		os.RemoveAll(profile)
	}
	return bctx, "http://" + ln.Addr().String() + "/", stop, nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"

	"github.com/evalpress/evalpress/internal/browser"
	"github.com/evalpress/evalpress/internal/serve"
)

// openBrowser opens the preview for serve -open; tests replace it.
var openBrowser = browser.Open

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("serve", "serve [-content DIR] [-addr 127.0.0.1:8080] [-drafts] [-future] [-open]", stderr)
	cfg := serve.Config{Stdout: stdout, Stderr: stderr}
	fs.StringVar(&cfg.Build.Content, "content", "content", "内容目录")
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "监听地址（只能是本机地址）")
	fs.BoolVar(&cfg.Build.Drafts, "drafts", false, "预览中包括草稿（draft = true），并标明“未公开”")
	fs.BoolVar(&cfg.Build.Future, "future", false, "预览中包括公开日期未到的记录，并标明“尚未到公开日期”及其日期")
	open := fs.Bool("open", false, "预览开始后用默认浏览器打开预览地址（打不开时给出地址，可手动打开）")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *open {
		cfg.Ready = openBrowser
	}
	err := serve.Run(ctx, cfg)
	if errors.Is(err, serve.ErrNotLoopback) {
		fmt.Fprintln(stderr, "evalpress serve:", err)
		return errUsage
	}
	if errors.Is(err, serve.ErrAddrInUse) {
		fmt.Fprintln(stderr, "evalpress serve:", addrInUse(cfg.Addr, cfg.Build.Content))
		return errReported
	}
	return err
}

// addrInUse says that addr's port is taken and how to choose another: the
// next port, with the command as the tool was started.
func addrInUse(addr, content string) string {
	host, port, _ := net.SplitHostPort(addr)
	next := "127.0.0.1:8081"
	if p, err := strconv.Atoi(port); err == nil && p > 0 && p < 65535 {
		next = net.JoinHostPort(host, strconv.Itoa(p+1))
	}
	return fmt.Sprintf("端口 %s 已被占用（%s），多半是另一个预览还开着：到它的窗口按 Ctrl-C 关掉，或用 -addr 换一个端口，例如 %s，再打开 http://%s/",
		port, addr, invoked.command("serve", content, "-addr", next), next)
}

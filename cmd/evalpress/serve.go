package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/evalpress/evalpress/internal/serve"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("serve", "serve [-content DIR] [-addr 127.0.0.1:8080] [-drafts] [-future]", stderr)
	cfg := serve.Config{Stdout: stdout, Stderr: stderr}
	fs.StringVar(&cfg.Build.Content, "content", "content", "内容目录")
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "监听地址（只能是本机地址）")
	fs.BoolVar(&cfg.Build.Drafts, "drafts", false, "预览中包括草稿（draft = true），并标明“未公开”")
	fs.BoolVar(&cfg.Build.Future, "future", false, "预览中包括公开日期未到的记录，并标明")
	if err := parse(fs, args); err != nil {
		return err
	}
	err := serve.Run(ctx, cfg)
	if errors.Is(err, serve.ErrNotLoopback) {
		fmt.Fprintln(stderr, "evalpress serve:", err)
		return errUsage
	}
	return err
}

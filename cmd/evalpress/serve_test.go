package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
)

// TestPreviewFlagsOnlyOnServe: -drafts and -future exist on serve only; a
// build or check can never include a record that is not public.
func TestPreviewFlagsOnlyOnServe(t *testing.T) {
	for _, cmd := range []string{"build", "check"} {
		for _, flag := range []string{"-drafts", "-future"} {
			var out, errOut bytes.Buffer
			err := run(context.Background(), []string{cmd, flag}, &out, &errOut)
			if !errors.Is(err, errUsage) || !strings.Contains(errOut.String(), "没有这个参数") {
				t.Errorf("evalpress %s %s = %v, %q; want a usage error", cmd, flag, err, errOut.String())
			}
		}
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"serve", "-addr", "0.0.0.0:8080", "-drafts"}, &out, &errOut)
	if !errors.Is(err, errUsage) || !strings.Contains(errOut.String(), "本机") {
		t.Errorf("serve on 0.0.0.0 = %v, %q; want a refusal", err, errOut.String())
	}
}

// A preview on a port another program holds printed the raw bind error
// ("无法监听 127.0.0.1:8080：listen tcp …: bind: address already in use");
// it now says the port is taken and gives the command for the next one.
func TestServeOnAPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	next := "127.0.0.1:" + strconv.Itoa(p+1)
	saved := invoked
	invoked = startedFrom("./bin/evalpress", "1")
	defer func() { invoked = saved }()
	var out, errOut bytes.Buffer
	err = run(context.Background(), []string{"serve", "-content", "../../testdata/seed", "-addr", addr}, &out, &errOut)
	if !errors.Is(err, errReported) {
		t.Errorf("serve on a taken port: err = %v, want errReported", err)
	}
	want := "evalpress serve: 端口 " + port + " 已被占用（" + addr + "），多半是另一个预览还开着：到它的窗口按 Ctrl-C 关掉，或用 -addr 换一个端口，例如 ./bin/evalpress serve -content ../../testdata/seed -addr " + next + "，再打开 http://" + next + "/\n"
	if errOut.String() != want {
		t.Errorf("stderr\n got %q\nwant %q", errOut.String(), want)
	}
}

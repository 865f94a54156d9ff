//go:build unix

package serve

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/pipeline"
)

// childContentEnv names the content directory the child process of
// TestIdleClientsFewDescriptors serves.
const childContentEnv = "EVALPRESS_TEST_FEW_FDS_CONTENT"

// TestIdleClientsFewDescriptors is TestIdleClients where it hurts: in a
// process allowed 64 open files, as on a system with a low limit (macOS
// gives 256, and its file watcher takes one per watched file), idle
// connections that are never closed use up the descriptors, and the
// server can no longer accept anyone. The server runs in a child process
// so that the limit is its alone.
func TestIdleClientsFewDescriptors(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := writeSite(t, testSite)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestFewDescriptorsChild$")
	cmd.Env = append(os.Environ(), childContentEnv+"="+dir)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close() // the child stops when its stdin closes
		if err := cmd.Wait(); err != nil {
			t.Errorf("child: %v", err)
		}
	}()
	var base string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if u, ok := strings.CutPrefix(sc.Text(), "serving "); ok {
			base = u
			break
		}
	}
	if base == "" {
		t.Fatal("the child did not start serving")
	}
	go io.Copy(io.Discard, stdout)

	u, _ := url.Parse(base)
	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range 150 {
		// The kernel completes a connection even when the server cannot
		// accept it, so dialling succeeds either way.
		c, err := net.DialTimeout("tcp", u.Host, 2*time.Second)
		if err != nil {
			t.Fatalf("after %d connections: %v", len(conns), err)
		}
		conns = append(conns, c)
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(base + "2023/roads/")
	if err != nil {
		t.Fatalf("with 150 idle clients and 64 descriptors, a new client is not served: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("with 150 idle clients: %d", resp.StatusCode)
	}
}

// TestFewDescriptorsChild is the server of TestIdleClientsFewDescriptors;
// run alone, it does nothing.
func TestFewDescriptorsChild(t *testing.T) {
	dir := os.Getenv(childContentEnv)
	if dir == "" {
		t.Skip("the child of TestIdleClientsFewDescriptors")
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: 64, Max: 64}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		io.Copy(io.Discard, os.Stdin)
		cancel()
	}()
	err := Run(ctx, Config{Build: pipeline.Options{Content: dir}, Addr: "127.0.0.1:0",
		Ready: func(u string, _ io.Writer) { fmt.Printf("serving %s\n", u) }})
	if err != nil {
		t.Fatal(err)
	}
}

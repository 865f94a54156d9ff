package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/google/pprof/profile"
)

// cpuShares is where one build's CPU time went, from its CPU profile
// (evalpress build -cpuprofile): stage timers measure goroutines' wall
// time, which on busy cores counts the time a goroutine waits for one;
// profile samples count only the time it runs.
type cpuShares struct {
	total time.Duration
	// charts is the time in internal/chart (the go-echarts options).
	charts time.Duration
	// outputs is the time under each pprof label output=NAME: the
	// congress tables, print booklets, open data, feeds and series charts.
	outputs map[string]time.Duration
	// parts is the time of each kind of work (cpuPart): where a build
	// that grows faster than its records spends the excess.
	parts [numParts]time.Duration
}

// cpuPart is a kind of work a CPU profile's sample was doing.
type cpuPart int

const (
	// partProgram is evalpress's own work: everything but the others.
	partProgram cpuPart = iota
	// partAlloc is the allocation of memory (runtime.mallocgc), with
	// the help it gives the collector while it allocates excluded.
	partAlloc
	// partCollector is the garbage collector's marking and sweeping,
	// in its own workers or as help from allocating goroutines, and the
	// write barriers' flushes.
	partCollector
	// partKernel is the time in system calls: writing, reading and
	// making files and folders, and the runtime's own (memory, threads).
	// A page fault is counted with the function that touched the page.
	partKernel
	numParts
)

// partNames are the parts as make bench-large prints them.
var partNames = [numParts]string{
	partProgram:   "evalpress's own work",
	partAlloc:     "allocating memory",
	partCollector: "the garbage collector",
	partKernel:    "system calls",
}

// collectorFuncs are the functions under which a sample is the
// collector's work.
var collectorFuncs = map[string]bool{
	"runtime.gcBgMarkWorker": true,
	"runtime.gcAssistAlloc":  true,
	"runtime.gcStart":        true,
	"runtime.bgsweep":        true,
	"runtime.bgscavenge":     true,
	"runtime.sweepone":       true,
	"runtime.wbBufFlush":     true,
	"runtime.gcMarkDone":     true,
}

// kernelFuncs are the functions that enter the kernel, besides those of
// package syscall and internal/runtime/syscall (and its linux).
var kernelFuncs = map[string]bool{
	"runtime.futex":   true,
	"runtime.madvise": true,
	"runtime.mmap":    true,
	"runtime.munmap":  true,
	"runtime.usleep":  true,
	"runtime.osyield": true,
	"runtime.write1":  true,
	"runtime.read":    true,
}

// partOf returns the kind of work of a sample: the collector's if it is
// under one of its functions; else the kernel's if its innermost
// function enters the kernel; else allocation if under runtime.mallocgc;
// else the program's.
func partOf(sample *profile.Sample) cpuPart {
	leaf := ""
	alloc := false
	for i, loc := range sample.Location {
		for j, line := range loc.Line {
			if line.Function == nil {
				continue
			}
			name := line.Function.Name
			if collectorFuncs[name] {
				return partCollector
			}
			if i == 0 && j == 0 {
				leaf = name
			}
			alloc = alloc || name == "runtime.mallocgc"
		}
	}
	switch {
	case kernelFuncs[leaf] || strings.HasPrefix(leaf, "syscall.") || strings.HasPrefix(leaf, "internal/runtime/syscall"):
		return partKernel
	case alloc:
		return partAlloc
	}
	return partProgram
}

// chartPackage prefixes the functions of internal/chart in a profile.
const chartPackage = "github.com/evalpress/evalpress/internal/chart."

// profileBuild runs one more build, untimed, with a CPU profile.
func profileBuild(ctx context.Context, bin, content, public string) (cpuShares, error) {
	prof := public + ".cpu.prof"
	defer os.Remove(prof)
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "build", "-cpuprofile", prof, "-content", content, "-out", public)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return cpuShares{}, fmt.Errorf("%s build -cpuprofile: %v\n%s", bin, err, tail(out.String(), 40))
	}
	f, err := os.Open(prof)
	if err != nil {
		return cpuShares{}, err
	}
	defer f.Close()
	p, err := profile.Parse(f)
	if err != nil {
		return cpuShares{}, fmt.Errorf("%s: %w", filepath.Base(prof), err)
	}
	return sharesOf(p)
}

// sharesOf sums a CPU profile's samples by where they were taken.
func sharesOf(p *profile.Profile) (cpuShares, error) {
	i := slices.IndexFunc(p.SampleType, func(t *profile.ValueType) bool { return t.Type == "cpu" && t.Unit == "nanoseconds" })
	if i < 0 {
		return cpuShares{}, fmt.Errorf("the profile has no CPU time in nanoseconds")
	}
	s := cpuShares{outputs: map[string]time.Duration{}}
	for _, sample := range p.Sample {
		v := time.Duration(sample.Value[i])
		s.total += v
		if names := sample.Label["output"]; len(names) > 0 {
			s.outputs[names[0]] += v
		}
		if inChart(sample) {
			s.charts += v
		}
		s.parts[partOf(sample)] += v
	}
	return s, nil
}

func inChart(sample *profile.Sample) bool {
	for _, loc := range sample.Location {
		for _, line := range loc.Line {
			if line.Function != nil && strings.HasPrefix(line.Function.Name, chartPackage) {
				return true
			}
		}
	}
	return false
}

// outputsTotal is the CPU time of all labelled outputs.
func (s cpuShares) outputsTotal() time.Duration {
	var t time.Duration
	for _, v := range s.outputs {
		t += v
	}
	return t
}

// added is what the labelled outputs add to the rest of the build, as a
// fraction: 0.08 means the build takes 8 % longer with them.
func (s cpuShares) added() float64 { return s.addedBy(nil) }

// addedBy is what the outputs of group add to the rest of the build (the
// time outside every labelled output), as a fraction; a nil group means
// all labelled outputs.
func (s cpuShares) addedBy(group []string) float64 {
	rest := s.total - s.outputsTotal()
	if rest <= 0 {
		return 0
	}
	return float64(s.groupTotal(group)) / float64(rest)
}

// groupTotal is the CPU time of the outputs of group, nil meaning all.
func (s cpuShares) groupTotal(group []string) time.Duration {
	if group == nil {
		return s.outputsTotal()
	}
	var t time.Duration
	for _, name := range group {
		t += s.outputs[name]
	}
	return t
}

// Output groups with a budget of their own: the congress outputs of the
// first edition (issue 5's budget), and the rectification ledger with the
// data package (issue 13's: together they may add at most 10 % to the
// 10,000-evaluation build). The open data of the first edition is in the
// data label and so counts against the second budget.
var (
	congressOutputs = []string{"congress", "booklet", "feeds", "series"}
	ledgerAndData   = []string{"ledger", "data"}
)

// chartShare is the charts' fraction of the build's CPU time.
func (s cpuShares) chartShare() float64 {
	if s.total <= 0 {
		return 0
	}
	return float64(s.charts) / float64(s.total)
}

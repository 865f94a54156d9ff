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

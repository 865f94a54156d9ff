package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"time"

	"github.com/evalpress/evalpress/internal/buildinfo"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/export"
	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/scaffold"
)

const usage = `evalpress：预算绩效评价结果公开网站生成工具

用法：
  evalpress build   [-content DIR] [-out DIR] [-replace-out] [-strict] [-full] [-timings]
                                                          检查内容并生成网站
  evalpress check   [-content DIR] [-strict] [-format text|json]
                                                          只检查内容，不写任何文件
  evalpress serve   [-content DIR] [-addr 127.0.0.1:8080] [-drafts] [-future] [-open]
                                                          在本机预览网站，修改后自动刷新
  evalpress new     [-content DIR] YEAR/SLUG               新建一条评价记录（草稿）及其说明
  evalpress import  [-content DIR] [-year YEAR] [-dry-run] [-format text|json] 文件或文件夹……
                                                          把已有的评价摘要（.txt）等导入为草稿记录
  evalpress version                                       显示版本、提交、Go 版本和内嵌的 ECharts
  evalpress help                                          显示本说明

每个命令都可加 -h 查看其参数。默认内容目录为 content，输出目录为 public。
`

// run is the whole program below main: it parses args, runs one command
// and returns its error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "build":
		return cmdBuild(ctx, rest, stdout, stderr)
	case "check":
		return cmdCheck(ctx, rest, stdout, stderr)
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "new":
		return cmdNew(rest, stdout, stderr)
	case "import":
		return cmdImport(rest, stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprint(stdout, buildinfo.Read())
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "evalpress: 未知命令 %q\n\n%s", cmd, usage)
	return errUsage
}

// flags is a flag set that prints its usage in Chinese to stderr.
func flags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "用法：evalpress %s\n\n参数：\n", synopsis)
		printDefaults(fs)
	}
	return fs
}

// printDefaults is flag.PrintDefaults in Chinese: each flag, the kind of
// value it takes, its help, and its default when it has one.
func printDefaults(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		line := "  -" + f.Name
		if k, ok := kinds[kind]; ok {
			kind = k
		}
		if kind != "" {
			line += " " + kind
		}
		line += "\n    \t" + strings.ReplaceAll(usage, "\n", "\n    \t")
		if d := f.DefValue; d != "" && d != "false" && d != "0" {
			line += "（默认 " + d + "）"
		}
		fmt.Fprintln(fs.Output(), line)
	})
}

// kinds are the flag package's names of the kinds of value, in Chinese.
var kinds = map[string]string{"string": "文字", "int": "整数", "uint": "整数", "float": "数字", "duration": "时长", "value": "值"}

// flagError says in Chinese what the flag package's err says of args.
func flagError(err error) string {
	msg := err.Error()
	for _, t := range []struct{ prefix, zh string }{
		{"flag provided but not defined: ", "没有这个参数：%s（参数名拼错了？下面是全部参数）"},
		{"flag needs an argument: ", "参数 %s 后面要跟一个值"},
		{"bad flag syntax: ", "参数的写法不对：%s"},
	} {
		if rest, ok := strings.CutPrefix(msg, t.prefix); ok {
			return fmt.Sprintf(t.zh, rest)
		}
	}
	if m := invalidFlagValue.FindStringSubmatch(msg); m != nil {
		zh := fmt.Sprintf("参数 -%s 的值 %q 不对", m[3], m[2])
		if m[1] != "" {
			zh += "：只能是 true 或 false，例如 -" + m[3] + "=true"
		}
		return zh
	}
	return msg
}

// invalidFlagValue matches the flag package's error for a value it cannot
// parse: whether the flag is a boolean one, the value, the flag's name.
var invalidFlagValue = regexp.MustCompile(`^invalid (boolean )?value "(.*)" for (?:flag )?-(\S+): `)

func parse(fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "evalpress %s: 多余的参数 %q\n", fs.Name(), strings.Join(fs.Args(), " "))
		fs.Usage()
		return errUsage
	}
	return nil
}

// parseFlags parses the flags of args, leaving the arguments after them
// in fs.Args: errors and the usage in Chinese, the error first.
func parseFlags(fs *flag.FlagSet, args []string) error {
	// The flag package prints its own error, in English, before the
	// usage: the usage waits, and the error is said in Chinese first.
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.Usage = usage
	fs.SetOutput(out)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.Usage()
			return err
		}
		fmt.Fprintf(out, "evalpress %s: %s\n\n", fs.Name(), flagError(err))
		fs.Usage()
		return errUsage
	}
	return nil
}

func cmdBuild(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fs := flags("build", "build [-content DIR] [-out DIR] [-replace-out] [-strict] [-full] [-search-bulk] [-timings] [-watch]", stderr)
	opts := pipeline.Options{}
	fs.StringVar(&opts.Content, "content", "content", "内容目录")
	fs.StringVar(&opts.Out, "out", "public", "输出目录：每次构建整体替换为新网站（构建失败时保持原样）")
	fs.BoolVar(&opts.ReplaceOut, "replace-out", false, "接管一个已有其他文件、不是 evalpress 生成的输出目录（其中原有内容会被删除）")
	opts.OutWaiting = func(lock string) {
		fmt.Fprintf(stderr, "另一个构建正在写入 %s（锁文件 %s），等它结束……（Ctrl-C 取消）\n", opts.Out, lock)
	}
	fs.BoolVar(&opts.Strict, "strict", false, "把警告（如公布等级与计算结果不符）当作错误")
	fs.BoolVar(&opts.SearchBulk, "search-bulk", false, "另写出 "+export.BulkPath+"：全部评价的检索文档，供省级或全国检索平台（OpenSearch、Elasticsearch）批量导入")
	fs.BoolVar(&opts.Full, "full", false, "完整生成全部页面，不沿用上次的输出（增量构建缓存照常更新）")
	timings := fs.Bool("timings", false, "列出各阶段用时（render.* 为各工作线程用时之和，含等待 CPU 的时间；index.* 为检索索引占用的 CPU 时间，index.wait 为工作线程相互等待的时间）")
	watching := fs.Bool("watch", false, "构建后继续监视内容目录：保存改动后自动增量构建、更新输出目录，直到按 Ctrl-C")
	cpuprofile := fs.String("cpuprofile", "", "把 CPU 剖析写入此文件（供开发者用 go tool pprof 查看）")
	memprofile := fs.String("memprofile", "", "把构建中存活堆最大时的内存剖析写入此文件（供开发者用 go tool pprof 查看）")
	traceFile := fs.String("trace", "", "把执行跟踪写入此文件（供开发者用 go tool trace 查看各线程何时工作、何时等待）")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *traceFile != "" {
		stop, err := startTrace(*traceFile)
		if err != nil {
			return err
		}
		defer stop()
	}
	if *memprofile != "" {
		stop, err := startMemProfile(*memprofile)
		if err != nil {
			return err
		}
		defer func() {
			if serr := stop(); serr != nil && err == nil {
				err = serr
			}
		}()
	}
	if *cpuprofile != "" {
		stop, err := startCPUProfile(*cpuprofile)
		if err != nil {
			return err
		}
		defer stop()
	}
	stopGC, scaleGC, rebuildGC := tuneGC()
	defer stopGC()
	opts.Sized, opts.Rebuilding = scaleGC, rebuildGC
	opts.RemoveOldLater = true
	b := builder{opts: opts, timings: *timings, stdout: stdout, stderr: stderr}
	if *watching {
		return b.watch(ctx, watchDebounce)
	}
	_, _, err = b.build(ctx, true)
	return err
}

// builder runs the builds of one evalpress build command and reports
// them.
type builder struct {
	opts           pipeline.Options
	timings        bool
	stdout, stderr io.Writer
}

// build runs one build and reports it, with how to preview and publish
// the output when hints is set. It returns the build's figures, the
// pipeline's error (nil on success) and the command's: errReported once
// a failure is reported.
func (b builder) build(ctx context.Context, hints bool) (stats pipeline.Stats, perr, err error) {
	opts, stdout, stderr := b.opts, b.stdout, b.stderr
	start := time.Now()
	var l diag.List
	stats, perr = pipeline.Run(ctx, opts, &l)
	if perr != nil {
		removeOld(stats, false, stdout, stderr) // a failed commit may leave one too
	}
	if werr := l.Write(stderr); werr != nil {
		return stats, perr, werr
	}
	for _, n := range stats.Notices {
		fmt.Fprintln(stderr, "注意：", n)
	}
	if perr != nil {
		switch {
		case errors.Is(perr, pipeline.ErrFailed):
			fmt.Fprintf(stderr, "构建失败：%v；%s 保持不变。\n", perr, opts.Out)
		case errors.Is(perr, pipeline.ErrOutput):
			fmt.Fprintf(stderr, "构建失败：%v；没有改动任何文件。\n", perr)
		case ctx.Err() != nil:
			fmt.Fprintf(stderr, "构建已取消；%s 保持不变。\n", opts.Out)
		default:
			return stats, perr, perr
		}
		return stats, perr, errReported
	}
	if b.timings {
		for _, t := range stats.Timings {
			fmt.Fprintf(stdout, "timing %-20s %8.3f s\n", t.Stage, t.Time.Seconds())
		}
	}
	abs, _ := filepath.Abs(opts.Out)
	fmt.Fprintf(stdout, "已生成 %d 项评价、%d 个页面（%d 个文件，%.1f MB），用时 %.2f 秒，输出到 %s\n",
		stats.Evaluations, stats.Pages, stats.Files, float64(stats.Bytes)/1e6, time.Since(start).Seconds(), opts.Out)
	if stats.Reused > 0 {
		fmt.Fprintf(stdout, "增量构建：%d 个评价页面的内容没有变化，沿用上次的输出；重新生成了 %d 个（加 -full 可完整生成）\n",
			stats.Reused, stats.Evaluations-stats.Reused)
	}
	if n := len(stats.TakenGroups); n > 0 {
		fmt.Fprintf(stdout, "增量构建：%d 组全站页面（年度、部门、对照表、打印本等）没有变化，沿用上次的输出\n", n)
	}
	if stats.DataYears > 0 {
		fmt.Fprintf(stdout, "增量构建：开放数据中 %d 个年度的评价没有变化，沿用上次的数据\n", stats.DataYears)
	}
	if n := stats.RowChunks + stats.DataChunks; n > 0 {
		fmt.Fprintf(stdout, "增量构建：重新生成的对照表、年度列表和开放数据中，有 %d 段（每段 64 项以内的评价）没有变化，沿用上次的输出\n", n)
	}
	if stats.Withheld > 0 {
		fmt.Fprintf(stdout, "未公开（草稿或发布日期未到）：%d 项\n", stats.Withheld)
	}
	if hints {
		// Not "open index.html": from file:// every link opens a folder
		// listing and search does nothing.
		fmt.Fprintf(stdout, "预览：运行 %s，然后在浏览器打开 http://127.0.0.1:8080/\n", invoked.command("serve", opts.Content))
		fmt.Fprintf(stdout, "发布：把 %s 文件夹整个复制到网站服务器；不要直接双击打开其中的 index.html（那样链接和搜索都不能用）\n", abs)
	}
	removeOld(stats, b.timings, stdout, stderr)
	return stats, nil, nil
}

// removeOld removes the previous output once the new one is in place and
// reported (pipeline.Options.RemoveOldLater): the site is live, and the
// build's time above is the time until it was.
func removeOld(stats pipeline.Stats, timings bool, stdout, stderr io.Writer) {
	if stats.RemoveOld == nil {
		return
	}
	start := time.Now()
	for _, n := range stats.RemoveOld() {
		fmt.Fprintln(stderr, "注意：", n)
	}
	if timings {
		fmt.Fprintf(stdout, "timing %-20s %8.3f s\n", "remove-old", time.Since(start).Seconds())
	}
}

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("check", "check [-content DIR] [-strict] [-format text|json]", stderr)
	opts := pipeline.Options{}
	fs.StringVar(&opts.Content, "content", "content", "内容目录")
	fs.BoolVar(&opts.Strict, "strict", false, "把警告当作错误（有警告时也以非零状态退出）")
	format := fs.String("format", "text", "输出格式：text 或 json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "evalpress check: -format 只能是 text 或 json，而不是 %q\n", *format)
		return errUsage
	}
	stopGC, _, _ := tuneGC()
	defer stopGC()
	var l diag.List
	stats, err := pipeline.Check(ctx, opts, &l)
	if *format == "json" {
		if werr := l.WriteJSON(stdout); werr != nil {
			return werr
		}
	} else if werr := l.Write(stderr); werr != nil {
		return werr
	}
	if err != nil {
		if errors.Is(err, pipeline.ErrFailed) {
			return errReported
		}
		return err
	}
	if *format == "text" {
		for _, n := range stats.Notices {
			fmt.Fprintln(stderr, "注意：", n)
		}
		e, w := l.Count()
		notes := ""
		if n := l.Notes(); n > 0 {
			notes = fmt.Sprintf("，%d 条说明（已确认的差异）", n)
		}
		fmt.Fprintf(stdout, "检查完成：%d 项评价（另有 %d 项未公开），%d 个错误，%d 个警告%s。\n", stats.Evaluations, stats.Withheld, e, w, notes)
	}
	return nil
}

func cmdNew(args []string, stdout, stderr io.Writer) error {
	fs := flags("new", "new [-content DIR] YEAR/SLUG（例如 2024/disability-subsidies）", stderr)
	dir := fs.String("content", "content", "内容目录")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "evalpress new: 需要一个参数 YEAR/SLUG，例如", invoked.command("new", *dir, "2024/disability-subsidies"))
		fs.Usage()
		return errUsage
	}
	year, slug, err := scaffold.ParseTarget(fs.Arg(0))
	if err == nil {
		var paths []string
		if paths, err = scaffold.New(*dir, year, slug); err == nil {
			for _, p := range paths {
				fmt.Fprintln(stdout, "已创建", p)
			}
			fmt.Fprintf(stdout, "新记录是草稿（draft = true），不会发布。填好各项后删去 draft 一行，运行 %s 检查，再 %s。\n",
				invoked.command("check", *dir), invoked.command("build", *dir))
			return nil
		}
	}
	fmt.Fprintln(stderr, "evalpress new:", err)
	return errReported
}

// startCPUProfile profiles the process into file until stop is called.
func startCPUProfile(file string) (stop func(), err error) {
	return recordInto(file, pprof.StartCPUProfile, pprof.StopCPUProfile)
}

// startTrace writes a Go execution trace of the build into file: where
// the build waits rather than works, which a CPU profile cannot show.
func startTrace(file string) (stop func(), err error) {
	return recordInto(file, trace.Start, trace.Stop)
}

// recordInto creates file and starts a recording into it (start), which
// the returned function ends (end) before it closes the file.
func recordInto(file string, start func(io.Writer) error, end func()) (stop func(), err error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := start(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { end(); f.Close() }, nil
}

package main

import (
	"fmt"
	"io"

	"github.com/evalpress/evalpress/internal/importer"
)

func cmdImport(args []string, stdout, stderr io.Writer) error {
	fs := flags("import", "import [-content DIR] [-year YEAR] [-dry-run] [-format text|json] 文件或文件夹……", stderr)
	opts := importer.Options{}
	fs.StringVar(&opts.Content, "content", "content", "内容目录：导入的记录写到其中的 年份/evaluations/ 下")
	fs.IntVar(&opts.Year, "year", 0, "原件没有写年度时所用的预算年度，例如 2023")
	fs.BoolVar(&opts.DryRun, "dry-run", false, "只读取并列出将要写入的内容，不写任何文件")
	format := fs.String("format", "text", "报告格式：text 或 json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "evalpress import: -format 只能是 text 或 json，而不是 %q\n", *format)
		return errUsage
	}
	if opts.Year != 0 && (opts.Year < 1900 || opts.Year > 2100) {
		fmt.Fprintf(stderr, "evalpress import: -year %d 不对：写评价的预算年度，四位数字，例如 -year 2023\n", opts.Year)
		return errUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "evalpress import: 请写出要导入的文件或文件夹，例如", invoked.command("import", opts.Content, "自评表/"))
		fs.Usage()
		return errUsage
	}
	rep, err := importer.Import(opts, fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, "evalpress import:", err)
		return errReported
	}
	if *format == "json" {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteText(stdout)
		if err == nil && !opts.DryRun {
			fmt.Fprintf(stdout, "导入的记录都是草稿（draft = true），不会发布：对照原件核对后删去 draft 一行，运行 %s。\n",
				invoked.command("check", opts.Content))
		}
	}
	if err != nil {
		return err
	}
	if rep.Failed() {
		return errReported
	}
	return nil
}

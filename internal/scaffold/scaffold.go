package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"
)

//go:embed record.toml.tmpl narrative.md.tmpl
var files embed.FS

var templates = template.Must(template.New("").Option("missingkey=error").ParseFS(files, "*.tmpl"))

// data is what the templates see.
type data struct {
	Year int
	Slug string
}

// Years bounds the years New accepts: the loader reads year folders from
// 1900 to 2100 only.
const (
	MinYear = 1900
	MaxYear = 2100
)

// maxSlug bounds a slug's length: it is a file name and a URL segment, and
// a long one is a mistake (a pasted title), not a name.
const maxSlug = 100

// ParseTarget splits the YEAR/SLUG argument of `evalpress new` and checks
// both parts, with messages for web staff.
func ParseTarget(arg string) (year int, slug string, err error) {
	// A backslash is what a Windows user types between folders.
	y, s, ok := strings.Cut(strings.ReplaceAll(arg, `\`, "/"), "/")
	if !ok || strings.Contains(s, "/") {
		return 0, "", fmt.Errorf("参数 %q 应写成 年份/名称，例如 2024/disability-subsidies", arg)
	}
	if len(y) != 4 || strings.Trim(y, "0123456789") != "" {
		return 0, "", fmt.Errorf("年份 %q 应为四位数字，例如 2024/%s", y, s)
	}
	year, _ = strconv.Atoi(y)
	if err := checkYear(year); err != nil {
		return 0, "", err
	}
	if err := checkSlug(s); err != nil {
		return 0, "", err
	}
	return year, s, nil
}

func checkYear(year int) error {
	if year < MinYear || year > MaxYear {
		return fmt.Errorf("年份 %d 不对：应为评价的预算年度，四位数字，在 %d 到 %d 之间，例如 2024", year, MinYear, MaxYear)
	}
	return nil
}

// checkSlug accepts what the loader accepts without a word: lower-case
// ASCII letters, digits and '-', not at either end. Upper case is refused
// here although the loader only warns of it: URLs are case-sensitive on most
// servers and staff type them in lower case, and a record should not start
// its life with a warning.
func checkSlug(slug string) error {
	const rule = "名称用作网址和文件名，只能用小写英文字母、数字和 -，且不以 - 开头或结尾，例如 disability-subsidies"
	switch {
	case slug == "":
		return errors.New("缺少名称：" + rule)
	case len(slug) > maxSlug:
		return fmt.Errorf("名称太长（%d 个字符，最多 %d 个）：取项目名称的几个英文或拼音词即可，例如 disability-subsidies", len(slug), maxSlug)
	case slug[0] == '-' || slug[len(slug)-1] == '-':
		return fmt.Errorf("名称 %q 不能以 - 开头或结尾：%s", slug, rule)
	}
	for i := 0; i < len(slug); i++ {
		c := slug[i]
		if 'A' <= c && c <= 'Z' {
			return fmt.Errorf("名称 %q 请全部用小写（改为 %s）：网址区分大小写，小写最不易输错", slug, strings.ToLower(slug))
		}
		if !(c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z') {
			return fmt.Errorf("名称 %q 中有不能用的字符：%s；中文项目名称写在记录的 title 中", slug, rule)
		}
	}
	if reserved(slug) {
		return fmt.Errorf("名称 %q 是 Windows 的保留设备名，不能用作文件名：请换一个名称", slug)
	}
	return nil
}

// reserved reports a name Windows refuses as a file name whatever its
// extension (con.toml cannot be created), where staff edit content.
func reserved(slug string) bool {
	switch slug {
	case "con", "prn", "aux", "nul":
		return true
	}
	if len(slug) == 4 && (slug[:3] == "com" || slug[:3] == "lpt") && '1' <= slug[3] && slug[3] <= '9' {
		return true
	}
	return false
}

// New writes contentDir/YEAR/evaluations/SLUG.toml and SLUG.md, a draft
// record and its narrative, creating the year and evaluations folders as
// needed, and returns the two paths. It refuses a bad year or slug, a
// contentDir that does not exist (a mistyped -content would otherwise start
// a new tree), and a record or narrative of that name that exists already:
// then it writes nothing, and the error wraps fs.ErrExist.
func New(contentDir string, year int, slug string) ([]string, error) {
	if err := checkYear(year); err != nil {
		return nil, err
	}
	if err := checkSlug(slug); err != nil {
		return nil, err
	}
	if st, err := os.Stat(contentDir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("找不到内容目录 %s（用 -content 指定）", contentDir)
	}
	dir := filepath.Join(contentDir, strconv.Itoa(year), "evaluations")
	paths := []string{filepath.Join(dir, slug+".toml"), filepath.Join(dir, slug+".md")}
	for _, p := range paths {
		if _, err := os.Lstat(p); err == nil {
			return nil, fmt.Errorf("%s 已存在，没有改动任何文件：换一个名称，或直接编辑已有的文件：%w", p, fs.ErrExist)
		}
	}

	d := data{Year: year, Slug: slug}
	var bodies [2][]byte
	for i, name := range []string{"record.toml.tmpl", "narrative.md.tmpl"} {
		var b bytes.Buffer
		if err := templates.ExecuteTemplate(&b, name, d); err != nil {
			return nil, fmt.Errorf("scaffold: %s: %w", name, err) // a bug in the template
		}
		bodies[i] = b.Bytes()
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("无法创建目录 %s：%w", dir, err)
	}
	for i, p := range paths {
		if err := create(p, bodies[i]); err != nil {
			// Leave no half record behind: the loader would report an
			// orphan narrative or a record without one.
			for _, q := range paths[:i] {
				os.Remove(q)
			}
			if errors.Is(err, fs.ErrExist) {
				return nil, fmt.Errorf("%s 已存在，没有改动任何文件：换一个名称，或直接编辑已有的文件：%w", p, err)
			}
			return nil, fmt.Errorf("无法写入 %s：%w", p, err)
		}
	}
	return paths, nil
}

// create writes a new file, failing if it exists: the check in New and the
// write are separate steps, and an editor may save the file in between.
func create(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return err
	}
	return nil
}

package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/xuri/excelize/v2"
)

// GenerateForms writes n varied self-evaluation forms in the national
// layout to dir as form-0001.xlsx …, for `make bench` (a folder of 500
// forms must import in under 30 s) and for tests. The same seed gives the
// same forms. Forms vary as real ones do: one to three fund rows, a blank
// total row in a quarter of them, budget codes in front of some names,
// amounts with two to four decimals, header synonyms, an empty 二级 row,
// two to four 三级 under each 二级, scores with up to two decimals (a
// record's limit). An existing file is never overwritten: the run stops
// with an error.
func GenerateForms(dir string, n int, seed int64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := range n {
		rng := rand.New(rand.NewPCG(uint64(seed), uint64(i)+1))
		f := genForm(rng, i)
		buf, err := f.WriteToBuffer()
		f.Close()
		if err != nil {
			return err
		}
		path := filepath.Join(dir, fmt.Sprintf("form-%04d.xlsx", i+1))
		out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s 已存在，不覆盖；请换一个空目录", path)
		}
		if err != nil {
			return err
		}
		_, err = out.Write(buf.Bytes())
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// genLevels are the national form's first and second levels with their
// maxima (the money block's 预算执行率 takes the remaining 10).
var genLevels = []struct {
	name string
	max  int
	l2   []string
}{
	{"产出指标", 50, []string{"数量指标", "质量指标", "时效指标", "成本指标"}},
	{"效益指标", 30, []string{"经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"}},
	{"满意度指标", 10, []string{"服务对象满意度指标"}},
}

var genDepartments = []string{"池州市贵池区棠溪镇人民政府", "潜江市民政局", "潜江市交通运输局", "示例县教育局", "示例县农业农村局", "示例县卫生健康局"}
var genProjects = []string{"农村道路养护", "困难群众救助", "义务教育营养改善", "高标准农田建设", "基层医疗设备购置", "人居环境整治"}
var genTargets = [][2]string{{"≥50个", "52个"}, {"≥100百分比", "100百分比"}, {"严格执行相关制度规定", "达成预期指标"}, {"100%", "98%"}, {"≤30天", "25天"}, {"有所改善", "明显改善"}}

// genAmount returns an amount in 万元 between lo and hi with 0 to 4 places.
func genAmount(rng *rand.Rand, lo, hi int, places int) decimal.D {
	unit := int64(1)
	for range 4 - places {
		unit *= 10
	}
	span := int64(hi-lo) * 10000 / unit
	return decimal.D((int64(lo)*10000 + rng.Int64N(span+1)*unit) * (decimal.Scale / 10000))
}

// genForm builds one form.
func genForm(rng *rand.Rand, i int) *excelize.File {
	f := excelize.NewFile()
	const sh = "Sheet1"
	set := func(ref string, v any) { _ = f.SetCellValue(sh, ref, v) }
	num := func(ref string, d decimal.D, places int) { _ = f.SetCellDefault(sh, ref, d.Fixed(places)) }
	merge := func(a, b string) { _ = f.MergeCell(sh, a, b) }
	year := 2020 + rng.IntN(5)
	set("A1", fmt.Sprintf("项目支出绩效自评表（%d年度）", year))
	merge("A1", "H1")
	dept := genDepartments[rng.IntN(len(genDepartments))]
	if rng.IntN(2) == 0 {
		dept = strconv.Itoa(200+rng.IntN(50)) + "-" + dept
	}
	set("A2", "项目名称")
	set("B2", fmt.Sprintf("%d年%s项目（第%d号）", year, genProjects[rng.IntN(len(genProjects))], i+1))
	merge("B2", "H2")
	set("A3", "主管部门")
	set("B3", dept)
	merge("B3", "D3")
	set("E3", "实施单位")
	set("F3", fmt.Sprintf("%s第%d所", genDepartments[rng.IntN(len(genDepartments))], rng.IntN(9)+1))
	merge("F3", "H3")

	// The money block.
	funds := 1 + rng.IntN(3)
	places := 2 + rng.IntN(3)
	budgetWord := "全年预算数"
	if rng.IntN(4) == 0 {
		budgetWord = "调整后预算数"
	}
	set("A4", "项目资金（万元）")
	merge("A4", "A"+strconv.Itoa(5+funds))
	for j, h := range []string{"年初预算数", budgetWord, "全年执行数", "分值", "执行率", "得分"} {
		set(A1(3, 2+j), h)
	}
	var bi, b, s decimal.D
	type fundRow struct{ bi, b, s decimal.D }
	var rows []fundRow
	for range funds {
		fb := genAmount(rng, 5, 500, places)
		fs := fb - genAmount(rng, 0, 4, places)
		if fs < 0 {
			fs = fb
		}
		rows = append(rows, fundRow{fb, fb, fs})
		bi, b, s = bi+fb, b+fb, s+fs
	}
	blankTotal := rng.IntN(4) == 0
	set("B5", "年度资金总额")
	if !blankTotal {
		num("C5", bi, places)
		num("D5", b, places)
		num("E5", s, places)
	}
	rate, _ := decimal.Rate(s, b)
	set("G5", rate.Fixed(2)+"%")
	execScore := decimal.D(int64(rate) / 10 / 10000 * 10000) // 执行率 × 10 分, to two places, truncated
	num("F5", decimal.FromInt(10), 0)
	num("H5", execScore, 2)
	for j, fr := range rows {
		r := strconv.Itoa(6 + j)
		set("B"+r, []string{"其中：本年财政拨款", "上年结转资金", "其他资金"}[j])
		num("C"+r, fr.bi, places)
		num("D"+r, fr.b, places)
		num("E"+r, fr.s, places)
	}
	row := 6 + funds

	// 年度总体目标.
	r1, r2 := strconv.Itoa(row), strconv.Itoa(row+1)
	set("A"+r1, "年度总体目标")
	merge("A"+r1, "A"+r2)
	set("B"+r1, "预期目标")
	merge("B"+r1, "E"+r1)
	set("F"+r1, "实际完成情况")
	merge("F"+r1, "H"+r1)
	set("B"+r2, "按计划完成项目建设任务，资金使用规范。")
	merge("B"+r2, "E"+r2)
	set("F"+r2, "已按计划完成，资金使用规范。")
	merge("F"+r2, "H"+r2)
	row += 2

	// The indicator block.
	targetWord := "年度指标值"
	if rng.IntN(4) == 0 {
		targetWord = "指标值"
	}
	for j, h := range []string{"一级指标", "二级指标", "三级指标", targetWord, "实际完成值", "分值", "得分", "偏差原因分析及改进措施"} {
		set(A1(row, j), h)
	}
	row++
	total := execScore
	emptyL2 := rng.IntN(5) == 0
	for _, l1 := range genLevels {
		l1Top := row
		nl2 := 1 + rng.IntN(len(l1.l2))
		maxLeft := l1.max
		for k := range nl2 {
			l2Top := row
			nl3 := 2 + rng.IntN(3)
			for m := range nl3 {
				mx := maxLeft / ((nl2-k)*nl3 - m)
				if k == nl2-1 && m == nl3-1 {
					mx = maxLeft
				}
				maxLeft -= mx
				sc := decimal.FromInt(int64(mx))
				if mx > 0 && rng.IntN(3) == 0 {
					sc -= decimal.D(rng.Int64N(int64(mx)*100)/4) * 10000 // in hundredths: a record's scores have at most two places
				}
				total += sc
				t := genTargets[rng.IntN(len(genTargets))]
				set(A1(row, 2), fmt.Sprintf("指标%d", row))
				set(A1(row, 3), t[0])
				set(A1(row, 4), t[1])
				num(A1(row, 5), decimal.FromInt(int64(mx)), 0)
				num(A1(row, 6), sc, 2)
				if sc != decimal.FromInt(int64(mx)) {
					set(A1(row, 7), "部分任务未按期完成，下年度加快进度。")
				}
				row++
			}
			set(A1(l2Top, 1), l1.l2[k])
			if row-1 > l2Top {
				merge(A1(l2Top, 1), A1(row-1, 1))
			}
		}
		if emptyL2 && l1.name == "效益指标" {
			set(A1(row, 1), "可持续影响指标（无）")
			row++
		}
		set(A1(l1Top, 0), fmt.Sprintf("%s（%d分）", l1.name, l1.max))
		merge(A1(l1Top, 0), A1(row-1, 0))
	}
	set(A1(row, 0), "总分")
	merge(A1(row, 0), A1(row, 4))
	num(A1(row, 5), decimal.FromInt(100), 0)
	num(A1(row, 6), total, 2)
	row++
	set(A1(row, 0), "自评等级")
	set(A1(row, 1), []string{"差", "中", "良", "优"}[gradeIndex(total)])
	row++
	set(A1(row, 0), "填报人：（签字）")
	return f
}

// gradeIndex is the national band of a total out of 100: 0 差 … 3 优.
func gradeIndex(total decimal.D) int {
	switch {
	case total >= decimal.FromInt(90):
		return 3
	case total >= decimal.FromInt(80):
		return 2
	case total >= decimal.FromInt(60):
		return 1
	}
	return 0
}

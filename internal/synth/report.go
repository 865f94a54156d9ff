package synth

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/evalpress/evalpress/internal/decimal"
)

// siteTOML is the generated site's settings: the default ones, with a title
// that says the content is synthetic.
func siteTOML() []byte {
	return []byte(`# 合成测试数据，由 evalsynth 生成；内容均为虚构。
title = "潜江市财政局 预算绩效评价结果公开（合成测试数据）"
organization = "潜江市财政局"
base_url = "https://czj.example.gov.cn/jxgk/"

[grades]
"优" = 90
"良" = 80
"中" = 60
"差" = 0
`)
}

// report is a generated year report. Its figures about evaluations are
// counted from the year's records; the others are drawn.
type report struct {
	year      int
	published string
	figures   []figure
	// values the narrative quotes
	goals, depts, evaluated, congress, months int
	selfFunds, keyFunds                       decimal.D // 亿元
}

type figure struct{ label, value, unit string }

func newReport(rng *rand.Rand, year int, recs []*record) *report {
	rep := &report{
		year:      year,
		published: dateAfter(year+1, 2, 1, rng.IntN(60)),
		goals:     380 + rng.IntN(200),
		depts:     60 + rng.IntN(20),
		months:    3 + rng.IntN(3),
	}
	var wan decimal.D // 万元
	for _, r := range recs {
		if r.year != year || r.draft {
			continue
		}
		rep.evaluated++
		if r.congress {
			rep.congress++
		}
		if r.hasBudget {
			wan += r.budget
		}
	}
	// 1 亿元 = 10,000 万元; round to two decimals of 亿元.
	rep.keyFunds = (wan/cent + 5000) / 10000 * cent
	rep.selfFunds = rep.keyFunds*4 + decimal.D(rng.IntN(100000))*cent
	rep.figures = []figure{
		{"批复项目绩效目标", strconv.Itoa(rep.goals), "个"},
		{"部门整体支出绩效目标", strconv.Itoa(rep.depts), "个"},
		{"开展整体支出绩效评价的预算部门", strconv.Itoa(rep.depts), "个"},
		{"开展绩效自评的市级项目", strconv.Itoa(rep.goals), "个"},
		{"自评涉及资金", rep.selfFunds.String(), "亿元"},
		{"重点绩效评价项目", strconv.Itoa(rep.evaluated), "个"},
		{"重点评价涉及资金", rep.keyFunds.String(), "亿元"},
		{"绩效运行监控覆盖率", "100", "%"},
		{"报送市人大的评价报告", strconv.Itoa(rep.congress), "份"},
	}
	return rep
}

func (rep *report) toml() []byte {
	var b bytes.Buffer
	kv(&b, "title", quote(rep.title()))
	kv(&b, "year", strconv.Itoa(rep.year))
	kv(&b, "published", rep.published)
	for _, f := range rep.figures {
		b.WriteString("\n[[figures]]\n")
		kv(&b, "label", quote(f.label))
		kv(&b, "value", f.value)
		kv(&b, "unit", quote(f.unit))
	}
	return b.Bytes()
}

func (rep *report) title() string {
	return fmt.Sprintf("潜江市%d年预算绩效工作开展情况说明", rep.year)
}

// narrative follows the seed's report section by section.
func (rep *report) narrative() []byte {
	y, next := rep.year, rep.year+1
	var b bytes.Buffer
	fmt.Fprintf(&b, `## 一、审核并批复了%[1]d年度部门预算绩效目标

组织全市预算单位申报%[1]d年项目资金绩效目标和部门整体支出绩效目标，结合预算一体化系统进行了线上线下审核，批复项目绩效目标%[2]d个、部门整体支出绩效目标%[3]d个，本级绩效目标审核率100%%。

## 二、组织开展了%[1]d年绩效评价工作

%[4]d月，印发了《潜江市财政局关于%[1]d年开展财政资金绩效评价工作的通知》（潜财绩[%[1]d]1号），明确了评价对象、要求。组织对全市%[3]d个预算部门开展整体支出绩效评价，对%[2]d个市级项目资金使用情况进行绩效自评，涉及资金%[5]s亿元，在此基础上，市财政选择重点民生、重要支出等%[6]d个项目开展了绩效评价，涉及资金%[7]s亿元。

## 三、组织开展%[1]d年绩效目标运行监控

组织全市预算单位对%[1]d年财政批复了绩效目标的项目资金开展绩效运行监控，绩效运行监控覆盖率100%%，确保了绩效目标运行没有出现太大的偏差。

## 四、加大绩效评价结果应用力度

一是将%[6]d个重点项目绩效评价报告结果反馈到项目实施单位，要求单位及时整改。二是向市人大上报了%[8]d份重点项目绩效评价报告，作为市人大审议%[9]d年预算的参考件。三是将重点绩效评价报告结果汇编成应用建议，用于%[9]d年全市部门预算编制中。
`, y, rep.goals, rep.depts, rep.months, rep.selfFunds, rep.evaluated, rep.keyFunds, rep.congress, next)
	return b.Bytes()
}

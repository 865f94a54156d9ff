package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Narrative length in Han characters: 1,700–2,850, mean about 2,275, like
// the abstracts bureaus publish. The last sentence may overshoot by one
// sentence, which keeps every narrative within 1,500–3,000.
const (
	narrativeMin    = 1700
	narrativeSpread = 575 // two draws of [0, spread] added, a triangle
)

// Phrase banks. A {slot} is filled by words.fill: record slots name the
// programme, fresh slots ({pct}, {amt}, {big} …) draw a new number each time.
var (
	backgroundBank = []string{
		"为切实保障{object}的合法权益，根据省、市有关文件精神，{short}于{year}年继续实施{prog}。",
		"项目资金来源为{source}，年初预算安排{budget}，全年实际支出{spent}，预算执行率为{pct}。",
		"项目主要内容为：按照规定标准向符合条件的{object}发放{benefit}，{year}年度计划完成{output}{count}{unit}。",
		"项目年度绩效目标为：{output}不少于{count}{unit}，资金发放及时率达到100%，{object}满意度不低于90%。",
		"根据《潜江市财政局关于{year}年开展财政资金绩效评价工作的通知》（潜财绩[{year}]{n}号）要求，{evaluator}于{year}年{month}月对该项目开展了重点绩效评价。",
		"评价工作采用比较法、因素分析法和公众评判法，通过资料审核、现场核查、问卷调查和座谈访谈等方式进行，共发放调查问卷{big}份，有效问卷回收率{pct}。",
		"项目实施涉及全市{n}个镇（街道、管理区），由{short}牵头，财政、审计等部门配合，按照“谁使用、谁负责”的原则落实资金管理责任。",
		"部分子项目采用政府购买服务方式实施，其中{n}个子项目按照PPP模式引入社会资本参与建设运营。",
		"{year}年全市地区生产总值（GDP）增长{small}%，地方一般公共预算收入稳步增长，为项目实施提供了资金保障。",
	}
	// indicatorGood and indicatorBad explain a first-level score, by
	// position: decision, process, output, effect.
	indicatorGood = [4][]string{
		{"项目立项依据充分，立项程序规范", "绩效目标设定合理，绩效指标清晰、细化、可衡量", "预算编制科学，资金分配合理，与项目实际情况相适应"},
		{"财政批复的预算资金已全部到位，项目实施得到了保障", "预算资金严格按计划执行，资金使用符合财务管理制度和专项资金管理规定", "项目管理制度健全并得到有效执行"},
		{"项目产出数量指标全部完成", "质量指标符合相关要求", "时效指标按时完成", "成本指标均在控制范围内"},
		{"{object}生活水平得到改善，幸福感明显增强", "服务对象满意度达到{pct}", "项目实施提高了管理服务水平，受到了群众一致好评"},
	}
	indicatorBad = [4][]string{
		{"部分绩效目标设定不够清晰、细化，数量指标不可衡量", "项目预算资金与项目实际需求存在差异", "资金分配依据不够充分，测算过程资料不完整"},
		{"项目相关管理制度未建立，制度执行不够严格", "项目资金执行超预算，未按程序对项目资金进行调整", "部分资金拨付不及时，预算执行率为{pct}", "会计核算不够规范，部分支出凭证附件不全"},
		{"{output}完成{count}{unit}，未达到年度目标", "部分工程验收资料不完整", "项目实际成本超出预算{amt}", "部分{benefit}未按月发放到位"},
		{"长效管理机制尚未建立，项目可持续性有待加强", "服务对象满意度为{pct}，低于年度目标", "社会效益指标缺乏量化数据支撑"},
	}
	effectHeads = []string{
		"项目设定的绩效目标基本完成", "{object}的基本生活得到有效保障", "资金使用效益不断提升",
		"管理服务水平明显提高", "群众获得感、幸福感持续增强", "信息化管理水平逐步提高", "部门协同机制初步形成",
	}
	effectBank = []string{
		"{year}年全市共发放{benefit}{amt}，惠及{object}{count}{unit}，补贴资金按月足额发放到位。",
		"通过对{object}每月发放{benefit}，有效缓解了其特殊生活困难，困难群众的生活补贴和护理补贴做到了应发尽发。",
		"项目实施后，{output}达到{count}{unit}，较上年增长{small}%，各项产出指标均按计划完成。",
		"依托12345政务服务便民热线和“一网通办”平台，全年受理群众咨询和诉求{big}件，办结率达到{pct}。",
		"项目建立了“申请、审核、公示、发放、监督”全流程管理机制，资金通过“一卡通”系统直接发放到{object}账户，杜绝了截留挪用。",
		"经问卷调查，{object}对项目实施的总体满意度为{pct}，绝大多数受访者认为项目改善了生活条件。",
		"项目实施带动相关产业投资{amt}，新增就业岗位{n}个，对地区GDP增长的贡献逐步显现。",
		"通过APP和微信公众号等渠道开展政策宣传，累计推送信息{big}条，政策知晓率明显提高。",
		"{short}坚持把绩效理念贯穿项目实施全过程，资金使用效益和财政资金绩效水平不断提升。",
		"项目的实施提升了{object}的获得感和幸福感，社会反响良好，群众满意度达到{pct}。",
	}
	problemHeads = []string{
		"绩效目标设定不规范", "管理制度未建立健全", "预算编制不够精准", "资金支出进度偏慢",
		"政策宣传力度不够", "信息共享机制不健全", "项目监管不到位", "档案资料管理不规范",
	}
	problemBank = []string{
		"数量指标不可衡量，时效指标不清晰，质量指标不全，成本指标未设置。",
		"项目预算{budget}，而项目实际需求为{amt}，预算与实际需求存在差异。",
		"截至{year}年12月31日，项目资金支出{amt}，预算执行率仅为{pct}，部分资金结转下年使用。",
		"部分{object}对补贴标准、申领程序等政策了解不够，个别对象未能及时申领{benefit}。",
		"未建立跨部门、跨地区信息共享机制，{object}信息比对不及时，存在重复享受补贴的风险。",
		"项目执行中对申报审核、公示、动态调整等环节没有详细规定，实际执行中单位未制定项目管理制度。",
		"部分项目资料归档不及时，会计凭证附件不全，项目验收资料不完整。",
		"项目实施中未科学规划资金使用，在资金不能满足项目实施时未按程序调整预算并报批。",
		"日常监管以事后检查为主，对项目实施过程的跟踪监控不足，问题发现和整改不够及时。",
	}
	measureHeads = []string{
		"科学设定绩效目标", "建立健全管理制度", "加强预算编制管理", "加快资金支出进度",
		"加大政策宣传力度", "建立信息共享机制", "强化绩效结果应用", "加强项目动态监管",
	}
	measureBank = []string{
		"严格按要求编制具体的绩效目标，使绩效指标可通过清晰、可衡量的指标值予以体现，确保绩效目标实现。",
		"根据相关文件结合本地实际，建立健全{prog}申报、审核、公示、发放和监督等管理制度，做到有章可循。",
		"遵循“统筹兼顾、勤俭节约、量力而行、讲求绩效和收支平衡”的原则，结合实际需求合理申报项目预算，提高预算编制的准确性。",
		"加强资金调度，及时拨付{benefit}，对执行进度慢的资金及时收回统筹使用，提高财政资金使用效率。",
		"充分利用电视、网络、APP和宣传册等多种媒介宣传{prog}政策，确保{object}及其家属知晓补贴标准和申领程序。",
		"创新监管手段，加强与公安、人社、医保等部门的数据比对，及时发现新增和停发对象，确保补贴对象不重不漏。",
		"将绩效评价结果作为下年度预算安排的重要依据，对评价中发现的问题建立整改台账，限期整改到位。",
		"强化项目实施过程中的绩效运行监控，对偏离绩效目标的项目及时纠偏，确保项目资金安全有效。",
		"规范项目档案管理，做到资料完整、手续齐全，为绩效评价和审计监督提供依据。",
	}
	// The clause banks combine into sentences of many shapes, so that the
	// corpus has the vocabulary spread of real text and not a few dozen
	// sentences repeated: search-index size depends on it.
	actors  = []string{"{short}", "项目单位", "主管部门", "财政部门", "各镇（街道、管理区）", "项目实施单位", "经办机构"}
	verbs   = []string{"加强", "完善", "规范", "落实", "健全", "提升", "优化", "强化", "推进", "深化", "细化", "严格"}
	objects = []string{
		"资金监管", "绩效目标管理", "项目库建设", "预算约束", "信息公开", "内部控制", "档案管理", "补贴发放流程",
		"基层经办能力", "绩效运行监控", "部门协调配合", "政策宣传引导", "数据比对核查", "资产管理", "政府采购管理",
		"合同履约管理", "成本核算", "动态调整机制", "结果应用", "问题整改", "{benefit}审核", "{object}信息台账",
		"财务核算", "跟踪问效", "社会监督", "风险防控", "资金拨付", "质量验收",
	}
	results = []string{
		"确保资金安全、规范、有效使用", "切实提高财政资金使用效益", "推动项目绩效目标如期实现",
		"让{object}切实感受到政策红利", "不断增强群众的获得感和满意度", "为下年度预算安排提供参考依据",
		"形成“预算编制有目标、预算执行有监控、预算完成有评价、评价结果有反馈”的闭环管理",
		"做到补贴对象精准、发放资金及时", "防止出现重复发放和冒领现象", "促进项目长效运行",
	}
)

// words are the record's fillers for the phrase banks.
type words struct {
	prog, object, benefit, output, unit string
	lo, hi                              int
	short, evaluator, source            string
	year                                int
	budget, spent                       string
	// transfers is whether the programme pays money to people (补贴, 津贴,
	// 救助金 …); only then may generic sentences speak of 补贴, so that the
	// word is frequent, as in real abstracts, but not in every one.
	transfers bool
}

func (r *record) words() *words {
	w := &words{
		prog: r.title, object: "服务对象", benefit: "财政资金", output: "重点工作任务", unit: "项", lo: 5, hi: 60,
		evaluator: r.evaluator, year: r.year,
		source: []string{"市级财政资金", "上级转移支付资金和市级配套资金", "中央和省级专项资金"}[r.year%3],
	}
	if p := r.prog; p != nil {
		w.prog = p.name + "项目"
		w.object, w.benefit, w.output, w.unit, w.lo, w.hi = p.object, p.benefit, p.output, p.unit, p.lo, p.hi
		w.transfers = strings.ContainsAny(p.benefit, "贴金")
	}
	w.short = departments[r.dept]
	if s, ok := strings.CutPrefix(w.short, "潜江市"); ok {
		w.short = "市" + s
	}
	w.budget, w.spent = "", ""
	if r.hasBudget {
		w.budget = r.budget.String() + "万元"
	}
	if r.hasSpent {
		w.spent = r.spent.String() + "万元"
	}
	return w
}

// pick draws a phrase of bank that suits the programme: one about 补贴
// only for a programme that pays them.
func (w *words) pick(rng *rand.Rand, bank []string) string {
	s := pick(rng, bank)
	// A few redraws suffice: every bank is mostly free of 补贴.
	for i := 0; i < 8 && !w.transfers && strings.Contains(s, "补贴"); i++ {
		s = pick(rng, bank)
	}
	return s
}

// fill replaces each {slot} of t.
func (w *words) fill(rng *rand.Rand, t string, b *text) {
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.write(t)
			return
		}
		b.write(t[:i])
		j := strings.IndexByte(t[i:], '}') + i
		slot := t[i+1 : j]
		t = t[j+1:]
		switch slot {
		case "prog":
			b.write(w.prog)
		case "object":
			b.write(w.object)
		case "benefit":
			b.write(w.benefit)
		case "output":
			b.write(w.output)
		case "unit":
			b.write(w.unit)
		case "short":
			b.write(w.short)
		case "evaluator":
			b.write(w.evaluator)
		case "source":
			b.write(w.source)
		case "year":
			b.write(strconv.Itoa(w.year))
		case "budget":
			b.write(cmpOr(w.budget, amount(rng)))
		case "spent":
			b.write(cmpOr(w.spent, amount(rng)))
		case "count":
			b.write(strconv.Itoa(w.lo + rng.IntN(w.hi-w.lo+1)))
		case "pct":
			b.write(percent(rng, 85))
		case "amt":
			b.write(amount(rng))
		case "big":
			b.write(strconv.Itoa(100 + rng.IntN(5000)))
		case "n":
			b.write(strconv.Itoa(2 + rng.IntN(30)))
		case "small":
			b.write(strconv.FormatFloat(float64(1+rng.IntN(120))/10, 'f', -1, 64))
		case "month":
			b.write(strconv.Itoa(3 + rng.IntN(8)))
		default:
			panic("synth: unknown slot {" + slot + "}")
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func amount(rng *rand.Rand) string { return logUniform(rng, 1, 3000).String() + "万元" }

// text is a narrative being written, counting its Han characters as it
// grows so that the length can be steered without a second pass.
type text struct {
	strings.Builder
	han int
}

func (t *text) write(s string) {
	t.WriteString(s)
	for _, c := range s {
		if c >= 0x4e00 && c <= 0x9fff {
			t.han++
		}
	}
}

// narrative writes the abstract's prose in the seed's layout: 一、基本情况,
// 二、指标情况 (one numbered paragraph per first-level indicator), 三、成效
// and 问题 as numbered paragraphs, 四、改进措施.
func (r *record) narrative(rng *rand.Rand) []byte {
	w := r.words()
	target := narrativeMin + rng.IntN(narrativeSpread+1) + rng.IntN(narrativeSpread+1)
	var t text
	t.Grow(target * 4)

	t.write("## 一、基本情况\n\n")
	for _, s := range subset(rng, backgroundBank, 3+rng.IntN(4), len(backgroundBank)) {
		w.fill(rng, s, &t)
	}
	t.write("\n\n## 二、绩效评价指标情况\n\n")
	for i, ind := range r.indicators {
		grade := gradeOf(ind.score, ind.max)
		if ind.grade != "" {
			grade = ind.grade
		}
		t.write(fmt.Sprintf("%d.%s指标满分%s分，评价得分%s分，评价等级为%s。", i+1, ind.name, ind.max, ind.score, grade))
		pos := i % 4
		bank := indicatorGood[pos]
		if ind.score != ind.max {
			t.write("扣分原因：")
			bank = indicatorBad[pos]
		}
		reasons := subset(rng, bank, 1+rng.IntN(2), len(bank))
		for k, s := range reasons {
			if k > 0 {
				t.write("；")
			}
			w.fill(rng, s, &t)
		}
		t.write("。\n\n")
	}

	t.write("## 三、项目成效、存在的问题和原因\n\n### （一）项目取得的主要成效\n\n")
	numbered(rng, w, &t, effectHeads, effectBank, target*50/100)
	t.write("### （二）存在的问题和原因\n\n")
	numbered(rng, w, &t, problemHeads, problemBank, target*75/100)
	t.write("## 四、下一步拟改进措施\n\n")
	numbered(rng, w, &t, measureHeads, measureBank, target)
	return []byte(t.String())
}

// numbered writes numbered paragraphs "1.标题。正文" — at least one, and
// more until the narrative holds until Han characters.
func numbered(rng *rand.Rand, w *words, t *text, heads, bank []string, until int) {
	order := rng.Perm(len(heads))
	for n := 0; n < len(order) && (n == 0 || t.han < until); n++ {
		t.write(strconv.Itoa(n+1) + ".")
		w.fill(rng, heads[order[n]], t)
		t.write("。")
		for k := 0; k < 6 && (k < 2 || t.han < until); k++ {
			if rng.IntN(3) == 0 {
				w.fill(rng, w.pick(rng, bank), t)
			} else {
				clause(rng, w, t)
			}
		}
		t.write("\n\n")
	}
}

// clause writes one combined sentence: 市民政局将进一步加强资金监管，完善信息公开，确保资金安全、规范、有效使用。
func clause(rng *rand.Rand, w *words, t *text) {
	w.fill(rng, pick(rng, actors), t)
	t.write(pick(rng, []string{"将进一步", "要", "应当", "需持续", "已着手"}))
	w.fill(rng, pick(rng, verbs)+w.pick(rng, objects), t)
	t.write("，")
	w.fill(rng, pick(rng, verbs)+w.pick(rng, objects), t)
	t.write("，")
	w.fill(rng, w.pick(rng, results), t)
	t.write("。")
}

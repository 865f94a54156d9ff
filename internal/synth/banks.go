package synth

// The word banks below are invented but modelled on what county-level
// bureaus in Hubei publish; the names of real firms are avoided on purpose.

// departments are the budget units that own evaluated programmes. Towns and
// sub-districts come last; towns also carry the fiscal (财政运行综合)
// evaluations.
var departments = []string{
	"潜江市发展和改革委员会", "潜江市教育局", "潜江市科学技术局", "潜江市经济和信息化局",
	"潜江市公安局", "潜江市民政局", "潜江市司法局", "潜江市财政局",
	"潜江市人力资源和社会保障局", "潜江市自然资源和规划局", "潜江市生态环境局", "潜江市住房和城乡建设局",
	"潜江市交通运输局", "潜江市水利和湖泊局", "潜江市农业农村局", "潜江市商务局",
	"潜江市文化和旅游局", "潜江市卫生健康委员会", "潜江市退役军人事务局", "潜江市应急管理局",
	"潜江市审计局", "潜江市市场监督管理局", "潜江市统计局", "潜江市医疗保障局",
	"潜江市林业局", "潜江市城市管理执法局", "潜江市数字城管监督指挥中心", "潜江市信访局",
	"潜江市政务服务和大数据管理局", "潜江市粮食和物资储备局", "潜江市机关事务服务中心", "潜江市公共资源交易中心",
	"潜江市融媒体中心", "潜江市档案馆", "潜江市残疾人联合会", "潜江市妇女联合会",
	"共青团潜江市委员会", "潜江市总工会", "潜江市红十字会", "潜江市科学技术协会",
	"潜江市供销合作社联合社", "潜江市气象局", "潜江市疾病预防控制中心", "潜江市妇幼保健院",
	"潜江市中心医院", "潜江市社会福利院", "潜江市救助管理站", "潜江市殡葬管理所",
	"潜江市就业服务中心", "潜江市社会保险服务中心", "潜江市不动产登记中心", "潜江市农业技术推广中心",
	"潜江市畜牧兽医服务中心", "潜江市水产技术推广站", "潜江市公路事业发展中心", "潜江市环境卫生管理处",
	"潜江市图书馆", "潜江市博物馆", "潜江市体育运动中心", "潜江市特殊教育学校",
	"潜江市职业教育中心", "潜江市园林绿化管理处",
	// firstTown is the index of the first entry below.
	"潜江市园林街道办事处", "潜江市杨市街道办事处", "潜江市周矶街道办事处", "潜江市广华街道办事处",
	"潜江市泰丰街道办事处", "潜江市高场街道办事处", "潜江市竹根滩镇人民政府", "潜江市渔洋镇人民政府",
	"潜江市熊口镇人民政府", "潜江市老新镇人民政府", "潜江市浩口镇人民政府", "潜江市积玉口镇人民政府",
	"潜江市张金镇人民政府", "潜江市龙湾镇人民政府", "潜江市王场镇人民政府", "潜江市高石碑镇人民政府",
	"潜江市后湖管理区", "潜江市总口管理区", "潜江市运粮湖管理区", "潜江市白鹭湖管理区",
}

// firstTown is the index in departments of the first town or sub-district.
const firstTown = 62

// towns is the marker in a programme's owners for "any town".
const towns = "*town"

// programme is one kind of spending that is evaluated, with the words its
// narrative is made of.
type programme struct {
	name    string   // 残疾人两项补贴
	slug    string   // ASCII, for file names and series
	object  string   // who benefits: 残疾人
	benefit string   // what they get: 生活补贴
	output  string   // the counted output: 补贴发放人次
	unit    string   // its unit: 人次
	lo, hi  int      // range of the yearly output
	tags    []string // site tags
	owners  []string // departments that run it (names in departments, or towns)
}

var programmes = []programme{
	{"城乡居民基本医疗保险补助", "resident-medical-insurance", "参保居民", "医保补助资金", "参保人数", "人", 300000, 800000, []string{"民生", "医疗卫生"}, []string{"潜江市医疗保障局"}},
	{"城乡居民基本养老保险补助", "resident-pension", "参保居民", "基础养老金", "待遇领取人数", "人", 80000, 200000, []string{"民生", "社会保障"}, []string{"潜江市人力资源和社会保障局", "潜江市社会保险服务中心"}},
	{"农村公路养护", "rural-road-maintenance", "沿线群众", "养护资金", "养护里程", "公里", 800, 3000, []string{"交通", "乡村振兴"}, []string{"潜江市交通运输局", "潜江市公路事业发展中心"}},
	{"义务教育薄弱环节改善与能力提升", "compulsory-education-improvement", "在校学生", "改善资金", "改造校舍面积", "平方米", 5000, 60000, []string{"教育"}, []string{"潜江市教育局"}},
	{"残疾人两项补贴", "disability-allowances", "残疾人", "生活补贴", "补贴发放人次", "人次", 60000, 150000, []string{"民生", "社会保障"}, []string{"潜江市民政局", "潜江市残疾人联合会"}},
	{"城乡最低生活保障", "minimum-living-allowance", "低保对象", "低保金", "保障人数", "人", 8000, 30000, []string{"民生", "社会保障"}, []string{"潜江市民政局"}},
	{"特困人员救助供养", "extreme-poverty-support", "特困人员", "基本生活补贴", "供养人数", "人", 1500, 6000, []string{"民生", "社会保障"}, []string{"潜江市民政局", "潜江市社会福利院"}},
	{"80周岁以上老年人高龄津贴", "elderly-allowance", "高龄老人", "高龄津贴", "发放人数", "人", 10000, 40000, []string{"民生", "养老"}, []string{"潜江市民政局"}},
	{"困难群众临时救助", "temporary-assistance", "困难群众", "临时救助金", "救助人次", "人次", 1000, 8000, []string{"民生", "社会保障"}, []string{"潜江市民政局", "潜江市救助管理站"}},
	{"耕地地力保护补贴", "farmland-protection-subsidy", "种植农户", "地力保护补贴", "补贴面积", "亩", 500000, 1200000, []string{"农业农村"}, []string{"潜江市农业农村局"}},
	{"高标准农田建设", "high-standard-farmland", "项目区农户", "建设资金", "建成面积", "亩", 10000, 80000, []string{"农业农村", "乡村振兴"}, []string{"潜江市农业农村局"}},
	{"农机购置与应用补贴", "farm-machinery-subsidy", "购机农户", "购机补贴", "补贴机具", "台", 300, 3000, []string{"农业农村"}, []string{"潜江市农业农村局", "潜江市农业技术推广中心"}},
	{"稻虾共作产业发展", "rice-crayfish-industry", "养殖农户", "产业扶持资金", "示范基地面积", "亩", 5000, 50000, []string{"农业农村", "产业发展"}, []string{"潜江市农业农村局", "潜江市水产技术推广站"}},
	{"动物防疫补助", "animal-epidemic-prevention", "养殖场户", "防疫补助", "强制免疫数量", "万头（只）", 50, 400, []string{"农业农村"}, []string{"潜江市畜牧兽医服务中心"}},
	{"农村饮水安全巩固提升", "rural-drinking-water", "农村居民", "工程资金", "受益人口", "人", 20000, 200000, []string{"民生", "水利"}, []string{"潜江市水利和湖泊局"}},
	{"河湖长制工作经费", "river-chief-system", "沿河群众", "工作经费", "巡河次数", "次", 2000, 20000, []string{"生态环保", "水利"}, []string{"潜江市水利和湖泊局", towns}},
	{"小型水库及堤防除险加固", "embankment-reinforcement", "下游群众", "加固资金", "加固堤段长度", "公里", 5, 60, []string{"水利", "安全"}, []string{"潜江市水利和湖泊局"}},
	{"城区生活垃圾清运处理", "urban-waste-collection", "城区居民", "运营经费", "日均清运量", "吨", 200, 900, []string{"城市管理", "生态环保"}, []string{"潜江市城市管理执法局", "潜江市环境卫生管理处"}},
	{"数字化城管运行经费", "digital-city-management", "市民", "运行经费", "受理案件", "件", 50000, 150000, []string{"城市管理"}, []string{"潜江市数字城管监督指挥中心"}},
	{"城区路灯及亮化设施维护", "street-lighting", "城区居民", "维护经费", "维护路灯", "盏", 8000, 30000, []string{"城市管理"}, []string{"潜江市城市管理执法局"}},
	{"城镇老旧小区改造", "old-residential-renovation", "小区居民", "改造资金", "改造小区", "个", 10, 90, []string{"民生", "住房保障"}, []string{"潜江市住房和城乡建设局"}},
	{"公共租赁住房保障", "public-rental-housing", "住房困难家庭", "租赁补贴", "保障家庭", "户", 1000, 6000, []string{"民生", "住房保障"}, []string{"潜江市住房和城乡建设局"}},
	{"城乡公交运营补贴", "public-transport-subsidy", "乘客", "运营补贴", "运营线路", "条", 20, 80, []string{"交通", "民生"}, []string{"潜江市交通运输局"}},
	{"基本公共卫生服务", "basic-public-health", "城乡居民", "补助资金", "建立健康档案人数", "人", 500000, 900000, []string{"医疗卫生", "民生"}, []string{"潜江市卫生健康委员会", "潜江市疾病预防控制中心"}},
	{"基层医疗卫生机构能力建设", "primary-care-capacity", "基层群众", "建设资金", "配备设备", "台（套）", 50, 600, []string{"医疗卫生"}, []string{"潜江市卫生健康委员会", "潜江市中心医院"}},
	{"计划生育家庭奖励扶助", "family-planning-reward", "计生家庭", "奖励扶助金", "扶助人数", "人", 5000, 25000, []string{"民生", "医疗卫生"}, []string{"潜江市卫生健康委员会"}},
	{"孕产妇及儿童健康管理", "maternal-child-health", "孕产妇和儿童", "专项经费", "服务人次", "人次", 20000, 120000, []string{"医疗卫生"}, []string{"潜江市妇幼保健院"}},
	{"家庭经济困难学生资助", "student-financial-aid", "家庭经济困难学生", "国家助学金", "资助人次", "人次", 5000, 40000, []string{"教育", "民生"}, []string{"潜江市教育局", "潜江市职业教育中心"}},
	{"农村义务教育学生营养改善计划", "student-nutrition", "农村学生", "膳食补助", "受益学生", "人", 10000, 60000, []string{"教育", "民生"}, []string{"潜江市教育局"}},
	{"学前教育发展", "preschool-education", "适龄幼儿", "发展资金", "新增学位", "个", 200, 3000, []string{"教育"}, []string{"潜江市教育局"}},
	{"职业技能提升培训", "vocational-skills-training", "参训人员", "培训补贴", "培训人次", "人次", 2000, 20000, []string{"就业"}, []string{"潜江市人力资源和社会保障局", "潜江市就业服务中心"}},
	{"就业创业补助", "employment-support", "就业困难人员", "就业补贴", "帮扶人数", "人", 1000, 10000, []string{"就业", "民生"}, []string{"潜江市人力资源和社会保障局", "潜江市就业服务中心"}},
	{"重点优抚对象抚恤补助", "veterans-benefits", "优抚对象", "抚恤补助", "发放人数", "人", 2000, 12000, []string{"民生"}, []string{"潜江市退役军人事务局"}},
	{"公共文化服务体系建设", "public-culture-services", "城乡群众", "服务经费", "送戏下乡场次", "场", 100, 800, []string{"文化旅游"}, []string{"潜江市文化和旅游局", "潜江市图书馆", "潜江市博物馆"}},
	{"全域旅游发展", "tourism-development", "游客", "发展资金", "宣传推介活动", "场", 10, 80, []string{"文化旅游", "产业发展"}, []string{"潜江市文化和旅游局"}},
	{"全民健身设施建设", "fitness-facilities", "健身群众", "建设资金", "新建健身路径", "处", 20, 200, []string{"体育"}, []string{"潜江市体育运动中心"}},
	{"森林防火及林业有害生物防治", "forest-protection", "林区群众", "防治经费", "防治面积", "亩", 10000, 100000, []string{"生态环保"}, []string{"潜江市林业局"}},
	{"农村人居环境整治", "rural-living-environment", "农村居民", "整治资金", "整治村湾", "个", 20, 300, []string{"乡村振兴", "生态环保"}, []string{"潜江市农业农村局", towns}},
	{"大气污染防治", "air-pollution-control", "城区居民", "防治资金", "空气质量监测站点", "个", 5, 40, []string{"生态环保"}, []string{"潜江市生态环境局"}},
	{"城镇污水处理设施运营", "sewage-treatment", "城镇居民", "运营补助", "日处理能力", "吨", 20000, 150000, []string{"生态环保"}, []string{"潜江市住房和城乡建设局"}},
	{"安全生产监管", "work-safety-supervision", "生产经营单位", "监管经费", "检查企业", "家", 300, 3000, []string{"安全"}, []string{"潜江市应急管理局"}},
	{"应急物资储备", "emergency-reserves", "受灾群众", "储备资金", "储备物资", "件（套）", 2000, 50000, []string{"安全"}, []string{"潜江市应急管理局", "潜江市粮食和物资储备局"}},
	{"食品药品安全抽检", "food-drug-sampling", "消费者", "抽检经费", "抽检批次", "批次", 1000, 8000, []string{"安全", "市场监管"}, []string{"潜江市市场监督管理局"}},
	{"中小企业发展专项", "sme-development", "中小企业", "扶持资金", "扶持企业", "家", 20, 300, []string{"产业发展"}, []string{"潜江市经济和信息化局"}},
	{"招商引资奖励", "investment-promotion", "入驻企业", "奖励资金", "签约项目", "个", 10, 120, []string{"产业发展"}, []string{"潜江市商务局", "潜江市发展和改革委员会"}},
	{"电子商务进农村综合示范", "rural-ecommerce", "农村商户", "示范资金", "建成服务站点", "个", 30, 300, []string{"产业发展", "乡村振兴"}, []string{"潜江市商务局", "潜江市供销合作社联合社"}},
	{"科技创新奖补", "innovation-awards", "科技企业", "奖补资金", "认定高新技术企业", "家", 10, 120, []string{"科技"}, []string{"潜江市科学技术局", "潜江市科学技术协会"}},
	{"政务服务一网通办平台运维", "e-government-platform", "办事群众", "运维经费", "网上可办事项", "项", 500, 3000, []string{"政务服务"}, []string{"潜江市政务服务和大数据管理局"}},
	{"12345政务服务便民热线运行", "hotline-12345", "来电群众", "运行经费", "受理诉求", "件", 50000, 300000, []string{"政务服务"}, []string{"潜江市政务服务和大数据管理局"}},
	{"法律援助", "legal-aid", "受援群众", "办案补贴", "办理援助案件", "件", 300, 3000, []string{"法治", "民生"}, []string{"潜江市司法局"}},
	{"公共安全视频监控建设", "public-security-video", "城乡群众", "建设资金", "新增监控点位", "个", 200, 3000, []string{"安全"}, []string{"潜江市公安局"}},
	{"地方储备粮管理", "grain-reserves", "粮食企业", "储备费用补贴", "储备规模", "吨", 10000, 60000, []string{"粮食安全"}, []string{"潜江市粮食和物资储备局"}},
	{"不动产登记信息化", "property-registration", "办事群众", "建设经费", "数字化档案", "卷", 20000, 200000, []string{"政务服务"}, []string{"潜江市不动产登记中心", "潜江市自然资源和规划局"}},
	{"国土空间规划编制", "spatial-planning", "全市群众", "编制经费", "规划成果", "项", 2, 12, []string{"自然资源"}, []string{"潜江市自然资源和规划局"}},
	{"融媒体中心建设", "media-center", "受众群众", "建设资金", "发布稿件", "篇", 5000, 30000, []string{"文化旅游"}, []string{"潜江市融媒体中心"}},
	{"村级组织运转经费保障", "village-operations", "村级组织", "运转经费", "保障村（社区）", "个", 20, 60, []string{"基层治理"}, []string{towns}},
	{"困难职工帮扶", "worker-assistance", "困难职工", "帮扶资金", "帮扶人次", "人次", 300, 3000, []string{"民生"}, []string{"潜江市总工会"}},
	{"农村适龄妇女“两癌”免费筛查", "women-screening", "适龄妇女", "筛查经费", "筛查人数", "人", 10000, 50000, []string{"医疗卫生", "民生"}, []string{"潜江市妇女联合会", "潜江市妇幼保健院"}},
	{"气象防灾减灾", "weather-disaster-prevention", "城乡群众", "专项经费", "发布预警信息", "条", 200, 2000, []string{"安全"}, []string{"潜江市气象局"}},
	{"档案数字化", "archives-digitization", "查档群众", "专项经费", "数字化档案", "卷", 10000, 100000, []string{"政务服务"}, []string{"潜江市档案馆"}},
	{"城市园林绿化养护", "urban-greening", "城区居民", "养护经费", "养护面积", "万平方米", 100, 900, []string{"城市管理", "生态环保"}, []string{"潜江市园林绿化管理处", "潜江市城市管理执法局"}},
	{"特殊教育学校运行保障", "special-education", "残疾学生", "运行经费", "在校学生", "人", 100, 500, []string{"教育", "民生"}, []string{"潜江市特殊教育学校"}},
	{"红十字应急救护培训", "first-aid-training", "培训群众", "培训经费", "培训人次", "人次", 2000, 20000, []string{"医疗卫生"}, []string{"潜江市红十字会"}},
	{"青少年志愿服务", "youth-volunteering", "青少年", "活动经费", "开展活动", "场", 30, 300, []string{"社会事业"}, []string{"共青团潜江市委员会"}},
	{"统计调查", "statistical-survey", "调查对象", "调查经费", "调查单位", "家", 1000, 20000, []string{"统计"}, []string{"潜江市统计局"}},
	{"政府购买审计服务", "audit-services", "被审计单位", "购买服务经费", "审计项目", "个", 20, 200, []string{"监督"}, []string{"潜江市审计局"}},
	{"信访事项办理", "petition-handling", "信访群众", "工作经费", "办理信访事项", "件", 500, 5000, []string{"基层治理"}, []string{"潜江市信访局"}},
	{"公务用车运行保障", "official-vehicles", "机关单位", "保障经费", "保障车辆", "辆", 50, 300, []string{"机关运行"}, []string{"潜江市机关事务服务中心"}},
	{"公共资源交易平台运维", "public-resource-trading", "市场主体", "运维经费", "交易项目", "个", 300, 3000, []string{"政务服务"}, []string{"潜江市公共资源交易中心"}},
	{"惠民殡葬补贴", "funeral-subsidy", "逝者家属", "殡葬补贴", "补贴人数", "人", 2000, 8000, []string{"民生"}, []string{"潜江市殡葬管理所", "潜江市民政局"}},
}

// titleQualifiers may precede a programme's name; the empty string is the
// common case.
var titleQualifiers = []string{"", "", "", "", "", "中央财政", "省级", "市级", "市级配套"}

// titleSuffixes follow it.
var titleSuffixes = []string{"项目", "项目", "专项资金", "补助资金项目", "资金"}

// policies are the subjects of policy evaluations.
var policies = []struct{ name, slug string }{
	{"稻虾产业发展扶持政策", "crayfish-industry"},
	{"就业创业扶持政策", "employment"},
	{"招商引资优惠政策", "investment"},
	{"农业产业化龙头企业扶持政策", "agri-leaders"},
	{"城乡居民医疗救助政策", "medical-assistance"},
	{"困难群众基本生活保障政策", "basic-living"},
	{"高校毕业生住房补贴政策", "graduate-housing"},
	{"工业企业技术改造奖补政策", "industrial-upgrade"},
	{"农村危房改造补助政策", "rural-housing"},
	{"文旅消费券发放政策", "tourism-vouchers"},
}

// evaluators are who evaluated: the finance bureau itself or a firm it
// commissioned.
var evaluators = []string{
	"潜江市财政局", "潜江市财政局", "潜江市财政局", "潜江市财政局",
	"湖北江汉明德会计师事务所有限公司", "湖北楚信联合会计师事务所（普通合伙）",
	"潜江正源会计师事务有限公司", "湖北天衡绩效管理咨询有限公司",
	"荆楚恒达资产评估有限公司", "湖北东湖诚信会计师事务所有限公司",
}

// firstLevel lists sets of first-level indicator names, by kind; within a
// set the names stand for decision, process, output and effect.
var firstLevel = map[string][][4]string{
	"project": {
		{"项目决策", "项目过程", "项目产出", "项目效益"},
		{"项目决策", "项目过程", "项目产出", "项目效益"},
		{"项目决策", "项目过程", "项目产出", "项目效益"},
		{"决策", "过程", "产出", "效益"},
		{"项目决策", "项目管理", "项目产出", "项目效益"},
		{"决策", "管理", "产出", "效益"},
	},
	"department": {
		{"部门决策", "部门管理", "部门产出", "部门效益"},
		{"投入", "过程", "产出", "效果"},
		{"预算编制", "预算执行", "履职产出", "履职效果"},
	},
	"policy": {
		{"政策制定", "政策执行", "政策产出", "政策效果"},
		{"决策", "过程", "产出", "效益"},
	},
	"fiscal": {
		{"预算编制", "预算执行", "财政管理", "运行效果"},
	},
}

// maxSplits are the full marks of the four first-level indicators.
var maxSplits = [][4]int{
	{20, 20, 40, 20}, {20, 30, 30, 20}, {20, 20, 30, 30}, {15, 25, 35, 25},
	{25, 25, 30, 20}, {10, 20, 40, 30}, {20, 20, 40, 20}, {20, 25, 30, 25},
}

// secondLevel names second-level indicators under each first-level
// position (decision, process, output, effect).
var secondLevel = [4][]string{
	{"项目立项", "绩效目标", "资金投入"},
	{"资金管理", "组织实施"},
	{"产出数量", "产出质量", "产出时效", "产出成本"},
	{"社会效益", "经济效益", "生态效益", "可持续影响", "满意度"},
}

// leaf is a third-level indicator with how its target and result are
// written; %s in a target is filled with the programme's output.
type leaf struct {
	name           string
	target, actual string // "" for none; "=" means the actual equals target
}

var thirdLevel = [4][]leaf{
	{
		{"立项依据充分性", "", ""}, {"立项程序规范性", "", ""}, {"绩效目标合理性", "", ""},
		{"绩效指标明确性", "", ""}, {"预算编制科学性", "", ""}, {"资金分配合理性", "", ""},
	},
	{
		{"资金到位率", "100%", "pct"}, {"预算执行率", "≥95%", "pct"}, {"资金使用合规性", "合规", "="},
		{"管理制度健全性", "健全", "="}, {"制度执行有效性", "有效", "基本有效"}, {"档案资料完整性", "完整", "="},
	},
	{
		{"完成数量", "count", "count"}, {"验收合格率", "100%", "pct"}, {"补贴对象符合率", "100%", "="},
		{"完成及时率", "100%", "pct"}, {"资金发放及时率", "100%", "="}, {"成本控制率", "≤100%", "pct"},
	},
	{
		{"服务对象满意度", "≥90%", "pct"}, {"群众满意度", "≥85%", "pct"}, {"长效管理机制", "建立", "="},
		{"生活水平改善情况", "有所改善", "="}, {"带动就业人数", "count", "count"},
	},
}

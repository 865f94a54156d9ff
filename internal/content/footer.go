package content

import (
	"net/url"
	"strings"
)

// Footer is the [footer] table of site.toml: the details the national rules
// for government websites expect at the foot of every page. Each is
// optional; a page shows only those that are set.
type Footer struct {
	Sponsor   string // 主办单位
	Organizer string // 承办单位
	Phone     string // 联系电话: an office line or a service hotline
	Address   string // 地址
	SiteCode  string // 网站标识码: the ten digits the national registry gives
	ICP       string // ICP备案号, as registered: 鄂ICP备12345678号-1
	// PoliceRecord is the 公安机关备案号 as registered, e.g.
	// 鄂公网安备 42900502000123号; PoliceCode gives the digits of its
	// look-up link.
	PoliceRecord string
	// ErrorReportURL is the address of the site's 「我为政府网站找错」
	// entry, http(s) only.
	ErrorReportURL string
}

// ICPURL is where an ICP number is looked up (工业和信息化部 ICP/IP 地址/域名信息备案管理系统).
const ICPURL = "https://beian.miit.gov.cn/"

// ICPLink is where the ICP number is looked up, "" when none is set.
func (f Footer) ICPLink() string {
	if f.ICP != "" {
		return ICPURL
	}
	return ""
}

// PoliceURL is the look-up address of the 公安机关备案号 on the national
// registry (全国互联网安全管理服务平台), "" when none is set.
func (f Footer) PoliceURL() string {
	if code := f.PoliceCode(); code != "" {
		return "https://beian.mps.gov.cn/#/query/webSearch?code=" + code
	}
	return ""
}

// PoliceCode is the digits of PoliceRecord: the registry looks a site up
// by them alone, without the province's character or 号.
func (f Footer) PoliceCode() string {
	var b strings.Builder
	for _, r := range f.PoliceRecord {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// footerKeys are the keys [footer] allows.
var footerKeys = []string{"sponsor", "organizer", "phone", "address", "site_code", "icp", "police_record", "error_report_url"}

// footer fills f from the [footer] table of site.toml, reporting each
// problem at its line.
func (d *decoder) footer(m map[string]any, f *Footer) {
	t, ok := d.table(m, "footer")
	if !ok {
		return
	}
	d.unknown(t, "footer", footerKeys)
	get := func(name string) string {
		s, _ := d.str(t, "footer", name)
		s = strings.TrimSpace(s)
		return s
	}
	f.Sponsor = get("sponsor")
	f.Organizer = get("organizer")
	f.Phone = get("phone")
	f.Address = get("address")
	if s := get("site_code"); s != "" {
		if len(s) != 10 || strings.Trim(s, "0123456789") != "" {
			d.errorf("footer.site_code", `照全国政府网站信息报送系统给出的写 10 位数字，例如 site_code = "4290000001"`,
				"footer.site_code（网站标识码）%q 应为 10 位数字", s)
		} else {
			f.SiteCode = s
		}
	}
	f.ICP = get("icp")
	if s := get("police_record"); s != "" {
		f.PoliceRecord = s
		if f.PoliceCode() == "" {
			f.PoliceRecord = ""
			d.errorf("footer.police_record", `照备案证书原样写，例如 police_record = "鄂公网安备 42900502000123号"`,
				"footer.police_record（公安机关备案号）%q 中没有备案编号的数字", s)
		}
	}
	if s := get("error_report_url"); s != "" {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			d.errorf("footer.error_report_url", `写完整的网址，以 https:// 或 http:// 开头，例如 error_report_url = "https://zfwzzc.www.gov.cn/"`,
				"footer.error_report_url（「我为政府网站找错」网址）%q 不是完整的 http(s) 网址", s)
		} else {
			f.ErrorReportURL = s
		}
	}
}

// IsZero reports whether no detail of the footer is set: a page then shows
// none of them.
func (f Footer) IsZero() bool { return f == Footer{} }

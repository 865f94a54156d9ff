package serve

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// loopbackHost reports whether a request's Host header names this machine
// by a name no other party can point elsewhere: a loopback IP literal
// (127.0.0.0/8, ::1), localhost, or a name under .localhost.
//
// Binding to 127.0.0.1 is not enough on its own: a web page the staffer
// visits can resolve its own name first to its server and then to
// 127.0.0.1 (DNS rebinding), and its scripts then read the preview as
// same-origin, drafts included. The browser still sends that page's name as
// the Host, which is what is refused here.
//
// localhost and .localhost are reserved by RFC 6761 (section 6.3): they are
// never delegated in the public DNS, and browsers resolve them to loopback
// themselves, so an attacker cannot make them point at a server of theirs.
// IP literals cannot be rebound at all; only loopback ones are accepted, as
// the server only listens on loopback (0.0.0.0 is refused too: some
// browsers connect it to loopback, but it is not an address served here).
//
// The port is not compared with the listener's: it gives no protection
// (a rebinding page can use the real port), and a forwarded port (ssh -L
// 9000:127.0.0.1:8080, opened as localhost:9000) must keep working.
// Browsers leave the port out when it is 80, and send names in lower case;
// other clients may not, so both forms are taken.
func loopbackHost(host string) bool {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		name = host[1 : len(host)-1] // [::1] without a port
	}
	if name == "" {
		return false
	}
	if ip, err := netip.ParseAddr(name); err == nil {
		// A zone (fe80::1%eth0) is never loopback; Unmap lets
		// ::ffff:127.0.0.1 count as the IPv4 address it is.
		return ip.Zone() == "" && ip.Unmap().IsLoopback()
	}
	name = strings.TrimSuffix(strings.ToLower(name), ".") // localhost. is the same name, absolute
	return name == "localhost" || (strings.HasSuffix(name, ".localhost") && validLabels(name))
}

// validLabels reports whether name is made of non-empty DNS labels of
// letters, digits and hyphens, so that odd forms ("a..localhost") are not
// given the benefit of the doubt.
func validLabels(name string) bool {
	for _, label := range strings.Split(name, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// sameOrigin reports whether r, if a browser sent it on behalf of a page,
// comes from a page of the preview itself: there is no Origin header (the
// browser did not send one, as for a same-origin GET), or it is the origin
// of the Host the request was sent to. A page of any other origin, another
// local server on another port included, gets no event stream.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Values("Origin")
	if len(origin) == 0 {
		return true
	}
	return len(origin) == 1 && strings.EqualFold(origin[0], "http://"+r.Host)
}

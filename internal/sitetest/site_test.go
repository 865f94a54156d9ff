package sitetest

import "testing"

func TestPageURLAndKind(t *testing.T) {
	for _, tt := range []struct{ file, url, kind string }{
		{"index.html", "", "index.html"},
		{"404.html", "404.html", "404.html"},
		{"2023/index.html", "2023/", "N/index.html"},
		{"2024/index.html", "2024/", "N/index.html"},
		{"2023/disability-subsidies/index.html", "2023/disability-subsidies/", "N/*/index.html"},
		{"departments/民政局/index.html", "departments/%E6%B0%91%E6%94%BF%E5%B1%80/", "departments/*/index.html"},
		{"congress/2023/index.html", "congress/2023/", "congress/N/index.html"},
		{"congress/index.html", "congress/", "congress/index.html"},
	} {
		if got := pageURL(tt.file); got != tt.url {
			t.Errorf("pageURL(%q) = %q, want %q", tt.file, got, tt.url)
		}
		if got := pageKind(tt.file); got != tt.kind {
			t.Errorf("pageKind(%q) = %q, want %q", tt.file, got, tt.kind)
		}
	}
}

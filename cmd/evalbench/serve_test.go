package main

import "testing"

func TestWithEvaluator(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"title = \"x\"\nevaluator = \"甲\"\nyear = 2023\n", "title = \"x\"\nevaluator = \"乙\"\nyear = 2023\n"},
		{"title = \"x\"\n\n[[indicators]]\nevaluator = \"不是这个\"\n", "evaluator = \"乙\"\ntitle = \"x\"\n\n[[indicators]]\nevaluator = \"不是这个\"\n"},
	} {
		if got := string(withEvaluator([]byte(tc.in), "乙")); got != tc.want {
			t.Errorf("withEvaluator(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

package userexport

import "testing"

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 12000: "12,000", 100000: "100,000", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestSummaries(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{ExportStats{Users: 1200, Groups: 1}.Summary(), "exported 1,200 users and 1 group"},
		{ImportStats{Created: 1, Skipped: 2}.Summary(), "imported 1 user (2 skipped)"},
		{ImportStats{Created: 3, Groups: 2, GroupsCreated: 1}.Summary(), "imported 3 users (0 skipped) and 1 group (1 skipped)"},
		{ImportStats{}.SRPNote("us-east-1_x"), ""},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
